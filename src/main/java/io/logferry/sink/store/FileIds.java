package io.logferry.sink.store;

import io.logferry.batch.LogLine;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The store's integer id of each origin file (source, fingerprint), created on first sight inside the
 * batch's transaction. Ids learnt in a transaction are cached only once it committed, so a rolled-back
 * batch never leaves an id that does not exist. The cache outlives connections; the statements are prepared
 * again on each new one ({@link #prepare}). Used by the writer's thread only.
 *
 * <p>Safe with many writers on one database (PostgreSQL): the insert ignores a conflict on (source,
 * fingerprint), and under READ COMMITTED it waits for a concurrent transaction that inserted the same origin,
 * so the select that follows always finds the one row, whoever inserted it.
 */
final class FileIds {

    private record Origin(String source, String fingerprint) {
    }

    private record Known(long id, String path) {
    }

    private final StoreDialect dialect;
    private final Map<Origin, Known> committed = new HashMap<>();
    private final Map<Origin, Known> pending = new HashMap<>();
    private PreparedStatement insert;
    private PreparedStatement select;
    private PreparedStatement updatePath;

    FileIds(StoreDialect dialect) {
        this.dialect = dialect;
    }

    /** Prepares the statements on the connection the next batches use. */
    void prepare(Connection connection) throws SQLException {
        insert = connection.prepareStatement(dialect.insertFile());
        select = connection.prepareStatement(dialect.selectFile());
        updatePath = connection.prepareStatement(dialect.updateFilePath());
    }

    long idOf(LogLine line, long now) throws SQLException {
        Origin origin = new Origin(line.source(), line.fingerprint());
        Known known = pending.get(origin);
        if (known == null) {
            known = committed.get(origin);
        }
        if (known == null) {
            known = lookup(origin, line.path(), now);
        } else if (!Objects.equals(known.path(), line.path())) {
            known = movePath(known, line.path());
        } else {
            return known.id();
        }
        pending.put(origin, known);
        return known.id();
    }

    void committed() {
        committed.putAll(pending);
        pending.clear();
    }

    void rolledBack() {
        pending.clear();
    }

    private Known lookup(Origin origin, String path, long now) throws SQLException {
        insert.setString(1, origin.source());
        insert.setString(2, origin.fingerprint());
        insert.setString(3, path);
        insert.setLong(4, now);
        insert.executeUpdate();
        select.setString(1, origin.source());
        select.setString(2, origin.fingerprint());
        try (ResultSet rs = select.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("File " + origin + " vanished from lf_store_files");
            }
            Known known = new Known(rs.getLong(1), rs.getString(2));
            return Objects.equals(known.path(), path) ? known : movePath(known, path);
        }
    }

    /** The file was renamed (rotated): the row shows where its lines were last read from. */
    private Known movePath(Known known, String path) throws SQLException {
        updatePath.setString(1, path);
        updatePath.setLong(2, known.id());
        updatePath.executeUpdate();
        return new Known(known.id(), path);
    }
}
