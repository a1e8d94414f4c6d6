package io.logferry.listener;

import io.logferry.sqlite.SqlitePragmas;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;

/**
 * The listener's durable state in SQLite (WAL, synchronous=FULL): the high-water mark per (source, file) that
 * makes a forwarder's resend harmless, and the length of every ingest file at the last commit. Both change in
 * one transaction after the ingest files were flushed, and an ack is sent only after it: so after a crash,
 * bytes beyond a file's committed length were never acknowledged and are cut off, and the marks agree with
 * what the files hold. State grows with files, not lines. Used by the writer thread only.
 */
final class ListenerState implements AutoCloseable {

    private final Path file;
    private final Connection connection;
    private final Map<MarkKey, Long> marks = new HashMap<>();
    private final Map<Path, Long> lengths = new HashMap<>();

    record MarkKey(String source, String file) {
    }

    ListenerState(Path file) {
        this.file = file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = connection.createStatement()) {
                SqlitePragmas.wal(st, "FULL", 10_000);
                migrate(st);
                load(st);
            }
            connection.setAutoCommit(false);
        } catch (IOException | SQLException e) {
            throw new IllegalStateException("Cannot open the listener state " + file + " (" + e.getMessage()
                    + "). Check that it is a logferry listener database and that its directory is writable, or set"
                    + " the template parameter stateDb.", e);
        }
    }

    /** The highest stored offset of this (source, file), or -1. */
    long mark(MarkKey key) {
        Long high = marks.get(key);
        return high == null ? -1 : high;
    }

    /** Committed lengths of the ingest files, by path. */
    Map<Path, Long> committedLengths() {
        return Map.copyOf(lengths);
    }

    long committedLength(Path ingestFile) {
        return lengths.getOrDefault(ingestFile, 0L);
    }

    /** Makes the new marks and file lengths durable together. */
    void commit(Map<MarkKey, Long> newMarks, Map<Path, Long> newLengths) throws SQLException {
        try (PreparedStatement markStmt = connection.prepareStatement(ListenerSql.UPSERT_MARK);
             PreparedStatement fileStmt = connection.prepareStatement(ListenerSql.UPSERT_FILE)) {
            for (Map.Entry<MarkKey, Long> mark : newMarks.entrySet()) {
                markStmt.setString(1, mark.getKey().source());
                markStmt.setString(2, mark.getKey().file());
                markStmt.setLong(3, mark.getValue());
                markStmt.addBatch();
            }
            for (Map.Entry<Path, Long> length : newLengths.entrySet()) {
                fileStmt.setString(1, length.getKey().toString());
                fileStmt.setLong(2, length.getValue());
                fileStmt.addBatch();
            }
            markStmt.executeBatch();
            fileStmt.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            connection.rollback();
            throw e;
        }
        marks.putAll(newMarks);
        lengths.putAll(newLengths);
    }

    /** Forgets an ingest file that no longer exists (removed by retention). */
    void forget(Path ingestFile) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement(ListenerSql.DELETE_FILE)) {
            delete.setString(1, ingestFile.toString());
            delete.executeUpdate();
            connection.commit();
        }
        lengths.remove(ingestFile);
    }

    private void migrate(Statement st) throws SQLException {
        SqlitePragmas.checkedUserVersion(st, ListenerSql.SCHEMA_VERSION);
        st.execute(ListenerSql.CREATE_MARKS);
        st.execute(ListenerSql.CREATE_FILES);
        SqlitePragmas.setUserVersion(st, ListenerSql.SCHEMA_VERSION);
    }

    private void load(Statement st) throws SQLException {
        try (ResultSet rs = st.executeQuery(ListenerSql.SELECT_MARKS)) {
            while (rs.next()) {
                marks.put(new MarkKey(rs.getString(1), rs.getString(2)), rs.getLong(3));
            }
        }
        try (ResultSet rs = st.executeQuery(ListenerSql.SELECT_FILES)) {
            while (rs.next()) {
                lengths.put(Path.of(rs.getString(1)), rs.getLong(2));
            }
        }
    }

    @Override
    public void close() {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing on stop
        }
    }

    @Override
    public String toString() {
        return "ListenerState[" + file + ", " + marks.size() + " marks, " + lengths.size() + " files]";
    }
}
