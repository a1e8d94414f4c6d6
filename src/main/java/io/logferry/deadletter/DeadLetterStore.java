package io.logferry.deadletter;

import io.logferry.batch.LogLine;
import io.logferry.sqlite.SqlitePragmas;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.StaticService;
import org.apache.camel.api.management.ManagedAttribute;
import org.apache.camel.api.management.ManagedOperation;
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
import java.util.UUID;

/**
 * Lines that no sink will take, kept in a SQLite file (WAL, synchronous=FULL). A table rather than JSON-lines
 * files because replay must remove what was delivered and keep the rest, and an operator lists and counts
 * them: both are one SQL statement, and a write is one transaction whose commit is what lets the lines'
 * offsets move. A line refused again updates its record (unique origin per route), so replays never
 * duplicate. Bounded by {@link DeadLetterLimit}. Managed: file, count and a replay operation appear under
 * Camel's JMX domain as {@code org.apache.camel:context=NAME,type=services,name=DeadLetterStore} (one per
 * context, hence {@link StaticService}, which keeps the name free of an instance hash). Thread-safe.
 */
@ManagedResource(description = "Lines no sink would take, kept so that their offsets could move; replay resends them")
public final class DeadLetterStore extends ServiceSupport implements StaticService, CamelContextAware {

    private final Path file;
    private DeadLetterLimit limit = DeadLetterLimit.UNBOUNDED;
    private CamelContext camelContext;
    private Connection connection;

    public DeadLetterStore(Path file) {
        this.file = file;
    }

    public Path file() {
        return file;
    }

    /** The bound on the number of records and what happens at it; unbounded unless set. */
    public void setLimit(DeadLetterLimit limit) {
        this.limit = limit;
    }

    /** True while refused lines wait for room (the limit's {@code wait} mode). */
    public boolean isFull() {
        return limit.isFull();
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
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

    /**
     * Writes the letters in one transaction; when this returns they are on disk. At the limit it either throws
     * {@link DeadLetterStoreFullException} (the lines stay undelivered and are retried) or first removes the
     * oldest records, as the limit says.
     */
    public synchronized void write(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        inTransaction("write " + letters.size() + " dead letter(s) to", () -> {
            limit.makeRoom(connection, letters, file);
            try (PreparedStatement upsert = connection.prepareStatement(DeadLetterSql.UPSERT)) {
                for (DeadLetter letter : letters) {
                    bind(upsert, letter, now);
                    upsert.addBatch();
                }
                upsert.executeBatch();
            }
            return null;
        });
    }

    @ManagedAttribute(description = "The dead-letter database (SQLite)")
    public String getFile() {
        return file.toAbsolutePath().toString();
    }

    @ManagedAttribute(description = "Dead letters in the store")
    public long getCount() {
        return count();
    }

    /**
     * Asks the running logferry to resend dead letters through their route (replay with the CLI does the same
     * from outside); returns what was queued.
     */
    @ManagedOperation(description = "Resend the dead letters of a route (empty: all routes) refused at or after"
            + " an ISO-8601 time or a duration ago such as 2h (empty: all); delivered ones are removed")
    public String replay(String route, String since) {
        String only = route == null || route.isBlank() ? null : route.strip();
        if (only != null && camelContext != null && camelContext.getRoute(only) == null) {
            throw new IllegalArgumentException("No route '" + only + "' runs here; routes: "
                    + camelContext.getRoutes().stream().map(r -> r.getRouteId()).toList());
        }
        ReplayRequest request = requestReplay(only, null, Since.parse(since));
        return request.queued() + " dead letter(s) queued for replay (request " + request.id() + ")";
    }

    public synchronized long count() {
        return inTransaction("count the dead letters in", () -> {
            try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(DeadLetterSql.COUNT)) {
                return rs.next() ? rs.getLong(1) : 0L;
            }
        });
    }

    /** The oldest {@code limit} dead letters. */
    public synchronized List<StoredDeadLetter> list(int limit) {
        return inTransaction("read the dead letters in", () -> {
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.LIST)) {
                select.setInt(1, limit);
                return readAll(select);
            }
        });
    }

    /** The dead letter with this id, or null. */
    public synchronized StoredDeadLetter find(long id) {
        return inTransaction("read dead letter " + id + " in", () -> {
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.FIND)) {
                select.setLong(1, id);
                List<StoredDeadLetter> found = readAll(select);
                return found.isEmpty() ? null : found.get(0);
            }
        });
    }

    /**
     * Marks the letters of {@code route} (null: every route) refused at or after {@code since} for replay through
     * {@code through} (null: each letter's own route). Letters already queued are left as they are.
     */
    public synchronized ReplayRequest requestReplay(String route, String through, Instant since) {
        String id = UUID.randomUUID().toString();
        int queued = inTransaction("queue dead letters for replay in", () -> {
            try (PreparedStatement update = connection.prepareStatement(DeadLetterSql.REQUEST_REPLAY)) {
                update.setString(1, id);
                update.setString(2, through);
                update.setString(3, route);
                update.setLong(4, since.toEpochMilli());
                return update.executeUpdate();
            }
        });
        return new ReplayRequest(id, queued);
    }

    /** How a replay request stands: what was delivered (removed), failed again, or still waits. */
    public synchronized ReplayProgress progress(ReplayRequest request) {
        return inTransaction("read the replay state in", () -> {
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.REQUEST_STATE)) {
                select.setString(1, request.id());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    long left = rs.getLong(1);
                    long waiting = rs.getLong(2);
                    return new ReplayProgress(request.queued() - left, left - waiting, waiting);
                }
            }
        });
    }

    /**
     * Claims up to {@code max} letters queued for replay through {@code route}, oldest first, for one batch:
     * {@link #replayed} removes them, {@link #replayFailed} gives them back. Empty when none wait.
     */
    public synchronized ReplayClaim claim(String route, int max) {
        String claim = UUID.randomUUID().toString();
        List<StoredDeadLetter> letters = inTransaction("claim dead letters for replay in", () -> {
            List<StoredDeadLetter> next;
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.NEXT_TO_REPLAY)) {
                select.setString(1, route);
                select.setInt(2, max);
                next = readAll(select);
            }
            try (PreparedStatement update = connection.prepareStatement(DeadLetterSql.CLAIM)) {
                for (StoredDeadLetter letter : next) {
                    update.setString(1, claim);
                    update.setLong(2, letter.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return next;
        });
        return new ReplayClaim(claim, letters);
    }

    /** The claimed letters were delivered: removes those not refused again meanwhile (those were updated). */
    public synchronized void replayed(ReplayClaim claim) {
        updateClaim("remove replayed dead letters from", DeadLetterSql.REPLAYED, claim);
    }

    /** The replay failed: the letters stay, one attempt more, until an operator asks again. */
    public synchronized void replayFailed(ReplayClaim claim) {
        updateClaim("give back dead letters whose replay failed to", DeadLetterSql.REPLAY_FAILED, claim);
    }

    /** Removes the dead letters with these ids; returns how many there were. */
    public synchronized int remove(List<Long> ids) {
        return inTransaction("remove dead letters from", () -> {
            try (PreparedStatement delete = connection.prepareStatement(DeadLetterSql.REMOVE)) {
                for (long id : ids) {
                    delete.setLong(1, id);
                    delete.addBatch();
                }
                int removed = 0;
                for (int n : delete.executeBatch()) {
                    removed += n;
                }
                return removed;
            }
        });
    }

    /** Removes the dead letters of {@code route} (null: every route) refused at or after {@code since}. */
    public synchronized int remove(String route, Instant since) {
        return inTransaction("remove dead letters from", () -> {
            try (PreparedStatement delete = connection.prepareStatement(DeadLetterSql.REMOVE_MATCHING)) {
                delete.setString(1, route);
                delete.setLong(2, since.toEpochMilli());
                return delete.executeUpdate();
            }
        });
    }

    /** Claims of an earlier run (it stopped before their batches completed) go back to waiting. */
    public synchronized void releaseClaims() {
        inTransaction("release replay claims in", () -> {
            try (Statement st = connection.createStatement()) {
                return st.executeUpdate(DeadLetterSql.RELEASE_CLAIMS);
            }
        });
    }

    private void updateClaim(String what, String sql, ReplayClaim claim) {
        inTransaction(what, () -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setString(1, claim.id());
                return update.executeUpdate();
            }
        });
    }

    private List<StoredDeadLetter> readAll(PreparedStatement select) throws SQLException {
        List<StoredDeadLetter> out = new ArrayList<>();
        try (ResultSet rs = select.executeQuery()) {
            while (rs.next()) {
                out.add(read(rs));
            }
        }
        return out;
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
        int version = SqlitePragmas.checkedUserVersion(st, DeadLetterSql.SCHEMA_VERSION);
        if (version == 1) {
            for (String sql : DeadLetterSql.MIGRATE_FROM_1) {
                st.execute(sql);
            }
        } else {
            st.execute(DeadLetterSql.CREATE_RECORDS);
        }
        for (String sql : DeadLetterSql.CREATE_INDEXES) {
            st.execute(sql);
        }
        SqlitePragmas.setUserVersion(st, DeadLetterSql.SCHEMA_VERSION);
    }

    /** One unit of work on the connection, which the caller's lock guards. */
    private interface Work<T> {
        T run() throws SQLException;
    }

    /** Runs the work in one transaction: committed, or rolled back with a message that names the store. */
    private <T> T inTransaction(String what, Work<T> work) {
        if (connection == null) {
            throw new DeadLetterException("Cannot " + what + " " + file + ": the store is not open", null);
        }
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException e) {
            rollbackQuietly();
            throw new DeadLetterException("Cannot " + what + " " + file + ": " + e.getMessage()
                    + ". The lines concerned stay where they were and are retried.", e);
        } catch (RuntimeException e) {
            rollbackQuietly();
            throw e;
        }
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
