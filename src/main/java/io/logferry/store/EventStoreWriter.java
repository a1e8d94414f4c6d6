package io.logferry.store;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.syslog.Rfc5424Parser;
import io.logferry.syslog.Rfc5424Record;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.service.ServiceSupport;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;

/**
 * Writes each {@link LogBatch} into the SQLite event store in one transaction with INSERT OR IGNORE on the
 * origin key (the file's source and fingerprint, through its file id, and the byte offset), so a batch sent
 * again after a crash or a failed delivery inserts nothing twice. Lines that are
 * RFC 5424 messages are stored with their parsed fields, others raw with {@code rfc5424 = 0}. The body
 * becomes the number of rows actually inserted. A failure throws, which leaves the batch's offsets where they
 * were. Thread-safe (one connection, one batch at a time).
 */
public final class EventStoreWriter extends ServiceSupport implements Processor {

    private static final String SQLITE_PREFIX = "jdbc:sqlite:";

    private String url = "jdbc:sqlite:data/events.db";
    private String synchronous = "FULL";
    private Connection connection;
    private PreparedStatement insert;
    private FileIds fileIds;

    /** JDBC URL of the event store. Default {@code jdbc:sqlite:data/events.db}. */
    public void setUrl(String url) {
        this.url = url;
    }

    public String getUrl() {
        return url;
    }

    /**
     * SQLite {@code synchronous} setting: FULL (default) makes a stored batch survive a power loss before its
     * offsets are committed; NORMAL is faster and still safe against a process crash.
     */
    public void setSynchronous(String synchronous) {
        this.synchronous = synchronous;
    }

    @Override
    protected synchronized void doStart() {
        if (!url.startsWith(SQLITE_PREFIX)) {
            throw new EventStoreException("Unsupported event store URL " + url + ": this version supports "
                    + SQLITE_PREFIX + "<file>", null);
        }
        if (!synchronous.matches("(?i)OFF|NORMAL|FULL|EXTRA")) {
            throw new EventStoreException("Event store synchronous must be OFF, NORMAL, FULL or EXTRA, was "
                    + synchronous, null);
        }
        createDirectory();
        try {
            open();
        } catch (SQLException e) {
            closeQuietly();
            throw new EventStoreException("Cannot open the event store " + url + ": " + e.getMessage()
                    + ". Check that the file is a logferry event store and that its directory is writable.", e);
        }
    }

    private void open() throws SQLException {
        connection = DriverManager.getConnection(url);
        try (Statement st = connection.createStatement()) {
            st.execute("PRAGMA busy_timeout = 10000");
            st.execute(EventStoreSql.PAGE_SIZE);
            st.execute("PRAGMA journal_mode = WAL");
            st.execute("PRAGMA synchronous = " + synchronous);
            st.execute("PRAGMA cache_size = -16000");
            migrate(st);
        }
        connection.setAutoCommit(false);
        insert = connection.prepareStatement(EventStoreSql.INSERT_EVENT);
        fileIds = new FileIds(connection);
    }

    @Override
    protected synchronized void doStop() {
        closeQuietly();
    }

    @Override
    public void process(Exchange exchange) throws SQLException {
        LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
        if (batch == null) {
            throw new IllegalArgumentException("The event store expects a LogBatch body, got "
                    + exchange.getMessage().getBody());
        }
        exchange.setProperty(BatchConstants.SINK, "store");
        exchange.getMessage().setBody(write(batch));
    }

    /** Inserts the batch in one transaction; returns the number of new rows (duplicates are ignored). */
    public synchronized int write(LogBatch batch) throws SQLException {
        if (connection == null) {
            open();
        }
        long now = System.currentTimeMillis();
        try {
            for (LogLine line : batch.lines()) {
                bind(fileIds.idOf(line, now), line, now);
                insert.addBatch();
            }
            int inserted = 0;
            for (int count : insert.executeBatch()) {
                inserted += Math.max(count, 0);
            }
            connection.commit();
            fileIds.committed();
            return inserted;
        } catch (SQLException e) {
            reopen();
            throw explain(e);
        }
    }

    private void bind(long fileId, LogLine line, long now) throws SQLException {
        insert.setLong(1, fileId);
        insert.setLong(2, line.offset());
        insert.setLong(3, now);
        String raw = line.text();
        Rfc5424Record r = Rfc5424Parser.parse(raw);
        insert.setInt(4, r == null ? 0 : 1);
        if (r == null) {
            for (int i = 5; i <= 14; i++) {
                insert.setNull(i, Types.NULL);
            }
        } else {
            StoredLine positions = StoredLine.of(raw, r);
            insert.setInt(5, r.pri());
            insert.setInt(6, r.version());
            insert.setString(7, r.timestamp());
            insert.setString(8, r.hostname());
            insert.setString(9, r.appName());
            insert.setString(10, r.procId());
            insert.setString(11, r.msgId());
            insert.setObject(12, positions.sdStart());
            insert.setObject(13, positions.sdLength());
            insert.setObject(14, positions.msgStart());
        }
        insert.setString(15, raw);
    }

    /**
     * After a failed batch the connection starts afresh: SQLite rolls back by itself after some errors (a
     * full disk among them), which leaves the driver's transaction state wrong. The next batch reopens it
     * if this attempt fails too.
     */
    private void reopen() {
        closeQuietly();
        try {
            open();
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
        }
    }

    private SQLException explain(SQLException e) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
            return new SQLException("The event store " + url + " cannot grow: the disk is full. Free space;"
                    + " the lines wait in their files and are retried.", e);
        }
        return e;
    }

    private void migrate(Statement st) throws SQLException {
        int version;
        try (ResultSet rs = st.executeQuery("PRAGMA user_version")) {
            version = rs.next() ? rs.getInt(1) : 0;
        }
        if (version > EventStoreSql.SCHEMA_VERSION) {
            throw new EventStoreException("The event store " + url + " has schema version " + version
                    + ", written by a newer logferry (this one knows " + EventStoreSql.SCHEMA_VERSION + ")", null);
        }
        st.execute(EventStoreSql.CREATE_FILES);
        st.execute(EventStoreSql.CREATE_EVENTS);
        st.execute(EventStoreSql.CREATE_LINES_VIEW);
        st.execute("PRAGMA user_version = " + EventStoreSql.SCHEMA_VERSION);
    }

    private void createDirectory() {
        Path file = Path.of(url.substring(SQLITE_PREFIX.length())).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new EventStoreException("Cannot create the directory of the event store " + file + " (" + e
                    + "). Fix its permissions or point the store URL elsewhere.", e);
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure or on stop: nothing is pending
        }
        connection = null;
    }
}
