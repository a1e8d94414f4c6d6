package io.logferry.deadletter;

import io.logferry.batch.LogLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Dead letters to and from rows of {@code lf_deadletter_records} (columns as in {@link DeadLetterSql}). */
final class DeadLetterRows {

    private DeadLetterRows() {
    }

    /** Binds the ten parameters of {@link DeadLetterSql#UPSERT}. */
    static void bind(PreparedStatement insert, DeadLetter letter, long now) throws SQLException {
        LogLine line = letter.line();
        insert.setLong(1, now);
        insert.setString(2, letter.routeId());
        insert.setString(3, letter.sink());
        insert.setString(4, line.source());
        insert.setString(5, line.fingerprint());
        insert.setLong(6, line.offset());
        insert.setString(7, line.path());
        insert.setString(8, line.text());
        insert.setInt(9, letter.attempts());
        insert.setString(10, letter.reason());
    }

    /** How many records the store holds. */
    static long count(Connection connection) throws SQLException {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(DeadLetterSql.COUNT)) {
            return rs.next() ? rs.getLong(1) : 0;
        }
    }

    /** Every row a query selecting {@code DeadLetterSql.COLUMNS} returns. */
    static List<StoredDeadLetter> readAll(PreparedStatement select) throws SQLException {
        List<StoredDeadLetter> out = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                LogLine line = new LogLine(rs.getString(5), rs.getString(8), rs.getString(6), rs.getLong(7),
                        rs.getString(9));
                DeadLetter letter = new DeadLetter(rs.getString(3), rs.getString(4), line, rs.getInt(10),
                        rs.getString(11));
                out.add(new StoredDeadLetter(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), letter));
            }
        }
        return out;
    }
}
