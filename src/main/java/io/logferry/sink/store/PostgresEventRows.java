package io.logferry.sink.store;

import io.logferry.batch.LogLine;
import io.logferry.rfc5424.Rfc5424Parser;
import io.logferry.rfc5424.Rfc5424Record;
import org.postgresql.PGConnection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Arrays;

/**
 * PostgreSQL rows: the batch's columns are collected into arrays and inserted by one
 * {@link PostgresSql#INSERT_EVENTS} statement (INSERT ... SELECT FROM unnest(...) ON CONFLICT DO NOTHING),
 * one round trip per batch, which reports exactly how many rows were new. The arrays are kept from batch to
 * batch; {@link #prepare} binds them to the connection of the next batches.
 *
 * <p>PostgreSQL text cannot hold U+0000: a NUL character in a line is stored as U+FFFD, in {@code raw} and in
 * the parsed fields alike (one character for one, so nothing else moves). Everything else is stored as read.
 */
final class PostgresEventRows implements EventRows {

    private static final int INITIAL_CAPACITY = 1024;

    private PGConnection connection;
    private PreparedStatement insert;
    private int size;
    private long[] fileIds = new long[INITIAL_CAPACITY];
    private long[] offsets = new long[INITIAL_CAPACITY];
    private boolean[] rfc5424 = new boolean[INITIAL_CAPACITY];
    private Short[] pri = new Short[INITIAL_CAPACITY];
    private Short[] facility = new Short[INITIAL_CAPACITY];
    private Short[] severity = new Short[INITIAL_CAPACITY];
    private Short[] version = new Short[INITIAL_CAPACITY];
    private String[] ts = new String[INITIAL_CAPACITY];
    private String[] hostname = new String[INITIAL_CAPACITY];
    private String[] appName = new String[INITIAL_CAPACITY];
    private String[] procId = new String[INITIAL_CAPACITY];
    private String[] msgId = new String[INITIAL_CAPACITY];
    private String[] structuredData = new String[INITIAL_CAPACITY];
    private String[] message = new String[INITIAL_CAPACITY];
    private String[] raw = new String[INITIAL_CAPACITY];
    private byte[][] rawBytes = new byte[INITIAL_CAPACITY][];

    /** Prepares the insert on this connection; rows not yet executed are dropped. */
    PostgresEventRows prepare(Connection c) throws SQLException {
        clear();
        insert = c.prepareStatement(PostgresSql.INSERT_EVENTS);
        // the driver's own createArrayOf also takes primitive arrays (long[], boolean[]), sent without boxing
        connection = c.unwrap(PGConnection.class);
        return this;
    }

    @Override
    public void add(long fileId, LogLine line, long receivedAtMillis) {
        if (size == raw.length) {
            grow();
        }
        String text = line.text();
        if (text.indexOf('\0') >= 0) {
            text = text.replace('\0', '\uFFFD');
        }
        int i = size++;
        fileIds[i] = fileId;
        offsets[i] = line.offset();
        raw[i] = text;
        rawBytes[i] = ExactBytes.unlessText(line);
        Rfc5424Record r = Rfc5424Parser.parse(text);
        rfc5424[i] = r != null;
        if (r != null) {
            pri[i] = (short) r.pri();
            facility[i] = (short) r.facility();
            severity[i] = (short) r.severity();
            version[i] = (short) r.version();
            ts[i] = PostgresTimestamps.accepts(r.timestamp()) ? r.timestamp() : null;
            hostname[i] = r.hostname();
            appName[i] = r.appName();
            procId[i] = r.procId();
            msgId[i] = r.msgId();
            structuredData[i] = r.structuredData();
            message[i] = r.message();
        }
    }

    @Override
    public int execute() throws SQLException {
        if (size == 0) {
            return 0;
        }
        try {
            int p = 1;
            insert.setArray(p++, connection.createArrayOf("int8", Arrays.copyOf(fileIds, size)));
            insert.setArray(p++, connection.createArrayOf("int8", Arrays.copyOf(offsets, size)));
            insert.setArray(p++, connection.createArrayOf("bool", Arrays.copyOf(rfc5424, size)));
            for (Short[] column : new Short[][] {pri, facility, severity, version}) {
                insert.setArray(p++, connection.createArrayOf("int2", Arrays.copyOf(column, size)));
            }
            for (String[] column : new String[][] {ts, hostname, appName, procId, msgId, structuredData, message,
                    raw}) {
                insert.setArray(p++, connection.createArrayOf("text", Arrays.copyOf(column, size)));
            }
            insert.setArray(p, connection.createArrayOf("bytea", Arrays.copyOf(rawBytes, size)));
            return insert.executeUpdate();
        } finally {
            clear();
        }
    }

    /** Drops the rows (also after a failure), keeping the arrays' capacity for the next batch. */
    private void clear() {
        for (Object[] column : new Object[][] {pri, facility, severity, version, ts, hostname, appName, procId,
                msgId, structuredData, message, raw, rawBytes}) {
            Arrays.fill(column, 0, size, null);
        }
        size = 0;
    }

    private void grow() {
        int capacity = raw.length * 2;
        fileIds = Arrays.copyOf(fileIds, capacity);
        offsets = Arrays.copyOf(offsets, capacity);
        rfc5424 = Arrays.copyOf(rfc5424, capacity);
        pri = Arrays.copyOf(pri, capacity);
        facility = Arrays.copyOf(facility, capacity);
        severity = Arrays.copyOf(severity, capacity);
        version = Arrays.copyOf(version, capacity);
        ts = Arrays.copyOf(ts, capacity);
        hostname = Arrays.copyOf(hostname, capacity);
        appName = Arrays.copyOf(appName, capacity);
        procId = Arrays.copyOf(procId, capacity);
        msgId = Arrays.copyOf(msgId, capacity);
        structuredData = Arrays.copyOf(structuredData, capacity);
        message = Arrays.copyOf(message, capacity);
        raw = Arrays.copyOf(raw, capacity);
        rawBytes = Arrays.copyOf(rawBytes, capacity);
    }
}
