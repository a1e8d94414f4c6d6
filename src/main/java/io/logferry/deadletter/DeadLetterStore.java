package io.logferry.deadletter;


import io.logferry.sqlite.SqlitePragmas;
import io.logferry.batch.LogLine;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedResource;
import org.apache.camel.support.service.ServiceSupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Lines that no sink will take, kept in a SQLite file (WAL, synchronous=FULL). A table rather than JSON-lines
 * files because replay must remove what was delivered and keep the rest, and an operator lists and counts
 * them: both are one SQL statement, and a write is one transaction whose commit is what lets the lines'
 * offsets move. Managed: its file and count appear under Camel's JMX domain as
 * {@code org.apache.camel:context=NAME,type=services,name=DeadLetterStore} (one per context, hence
 * {@link StaticService}, which keeps the name free of an instance hash). Thread-safe.
 */
@ManagedResource(description = "Lines no sink would take, kept so that their offsets could move")
public final class DeadLetterStore extends ServiceSupport implements StaticService {

    private final Path file;
    private Connection connection;

    public DeadLetterStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    @Override
    protected synchronized void doStart() {
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            connection = DriverManager.getConnection("jdbc:sqlite:" + file);
            try (Statement st = connection.createStatement()) {
                SqlitePragmas.wal(st, "FULL", 10_000);
                migrate(st);
            }
            connection.setAutoCommit(false);
        } catch (IOException | SQLException e) {
            closeQuietly();
            throw new DeadLetterException("Cannot open the dead-letter store " + file + " (" + e.getMessage()
                    + "). Check that it is a logferry dead-letter database and that its directory is writable,"
                    + " or set logferry.deadletters.db-path.", e);
        }
    }

    @Override
    protected synchronized void doStop() {
        closeQuietly();
    }

    /** Writes the letters in one transaction; when this returns they are on disk. */
    public synchronized void write(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        try (PreparedStatement insert = connection.prepareStatement(DeadLetterSql.INSERT)) {
            for (DeadLetter letter : letters) {
                bind(insert, letter, now);
                insert.addBatch();
            }
            insert.executeBatch();
            connection.commit();
        } catch (SQLException e) {
            rollbackQuietly();
            throw new DeadLetterException("Cannot write " + letters.size() + " dead letter(s) to " + file + ": "
                    + e.getMessage() + ". The lines stay undelivered and are retried.", e);
        }
    }

    @ManagedAttribute(description = "The dead-letter database (SQLite)")
    public String getFile() {
        return file.toAbsolutePath().toString();
    }

    @ManagedAttribute(description = "Dead letters in the store")
    public long getCount() {
        return count();
    }

    public synchronized long count() {
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(DeadLetterSql.COUNT)) {
            return rs.next() ? rs.getLong(1) : 0;
        } catch (SQLException e) {
            throw new DeadLetterException("Cannot count the dead letters in " + file + ": " + e.getMessage(), e);
        } finally {
            rollbackQuietly();
        }
    }

    /** The oldest {@code limit} dead letters. */
    public synchronized List<StoredDeadLetter> list(int limit) {
        List<StoredDeadLetter> out = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.LIST)) {
            select.setInt(1, limit);
            try (ResultSet rs = select.executeQuery()) {
                while (rs.next()) {
                    out.add(read(rs));
                }
            }
            return out;
        } catch (SQLException e) {
            throw new DeadLetterException("Cannot read the dead letters in " + file + ": " + e.getMessage(), e);
        } finally {
            rollbackQuietly();
        }
    }

    /** The dead letter with this id, or null. */
    public synchronized StoredDeadLetter find(long id) {
        try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.FIND)) {
            select.setLong(1, id);
            try (ResultSet rs = select.executeQuery()) {
                return rs.next() ? read(rs) : null;
            }
        } catch (SQLException e) {
            throw new DeadLetterException("Cannot read dead letter " + id + " in " + file + ": " + e.getMessage(), e);
        } finally {
            rollbackQuietly();
        }
    }

    private static void bind(PreparedStatement insert, DeadLetter letter, long now) throws SQLException {
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

    private static StoredDeadLetter read(ResultSet rs) throws SQLException {
        LogLine line = new LogLine(rs.getString(5), rs.getString(8), rs.getString(6), rs.getLong(7), rs.getString(9));
        DeadLetter letter = new DeadLetter(rs.getString(3), rs.getString(4), line, rs.getInt(10), rs.getString(11));
        return new StoredDeadLetter(rs.getLong(1), Instant.ofEpochMilli(rs.getLong(2)), letter);
    }

    private void migrate(Statement st) throws SQLException {
        SqlitePragmas.checkedUserVersion(st, DeadLetterSql.SCHEMA_VERSION);
        st.execute(DeadLetterSql.CREATE_RECORDS);
        SqlitePragmas.setUserVersion(st, DeadLetterSql.SCHEMA_VERSION);
    }

    private void rollbackQuietly() {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // nothing was written
        }
    }

    private void closeQuietly() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure or on stop
        }
        connection = null;
    }
}
