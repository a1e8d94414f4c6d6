package io.logferry.sink.store;

import io.logferry.batch.LogLine;
import io.logferry.rfc5424.Rfc5424Parser;
import io.logferry.rfc5424.Rfc5424Record;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;

/**
 * SQLite rows: one JDBC batch of INSERT OR IGNORE. Structured data and message are not sent: they are
 * virtual columns cut out of {@code raw} by the positions bound here ({@link StoredLine}).
 */
final class SqliteEventRows implements EventRows {

    private final PreparedStatement insert;

    SqliteEventRows(PreparedStatement insert) {
        this.insert = insert;
    }

    @Override
    public void add(long fileId, LogLine line, long now) throws SQLException {
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
        byte[] exact = ExactBytes.unlessText(line);
        if (exact == null) {
            insert.setNull(16, Types.BLOB);
        } else {
            insert.setBytes(16, exact);
        }
        insert.addBatch();
    }

    @Override
    public int execute() throws SQLException {
        int inserted = 0;
        for (int count : insert.executeBatch()) {
            inserted += Math.max(count, 0);
        }
        return inserted;
    }
}
