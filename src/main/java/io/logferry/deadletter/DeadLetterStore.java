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
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

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
    private final ReplayQueue replays = new ReplayQueue(this);
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

    /** The replay state of the letters in this store. */
    public ReplayQueue replays() {
        return replays;
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
    public void write(List<DeadLetter> letters) {
        if (letters.isEmpty()) {
            return;
        }
        long now = System.currentTimeMillis();
        inTransaction("write " + letters.size() + " dead letter(s) to", c -> {
            limit.makeRoom(c, letters, file);
            try (PreparedStatement upsert = c.prepareStatement(DeadLetterSql.UPSERT)) {
                for (DeadLetter letter : letters) {
                    DeadLetterRows.bind(upsert, letter, now);
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
        ReplayRequest request = replays.request(only, null, Since.parse(since));
        return request.queued() + " dead letter(s) queued for replay (request " + request.id() + ")";
    }

    public long count() {
        return inTransaction("count the dead letters in", DeadLetterRows::count);
    }

    /** The oldest {@code max} dead letters. */
    public List<StoredDeadLetter> list(int max) {
        return inTransaction("read the dead letters in", c -> {
            try (PreparedStatement select = c.prepareStatement(DeadLetterSql.LIST)) {
                select.setInt(1, max);
                return DeadLetterRows.readAll(select);
            }
        });
    }

    /** The dead letter with this id, or null. */
    public StoredDeadLetter find(long id) {
        return inTransaction("read dead letter " + id + " in", c -> {
            try (PreparedStatement select = c.prepareStatement(DeadLetterSql.FIND)) {
                select.setLong(1, id);
                List<StoredDeadLetter> found = DeadLetterRows.readAll(select);
                return found.isEmpty() ? null : found.get(0);
            }
        });
    }

    /** Removes the dead letters with these ids; returns how many there were. */
    public int remove(List<Long> ids) {
        return inTransaction("remove dead letters from", c -> {
            try (PreparedStatement delete = c.prepareStatement(DeadLetterSql.REMOVE)) {
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
    public int remove(String route, Instant since) {
        return inTransaction("remove dead letters from", c -> {
            try (PreparedStatement delete = c.prepareStatement(DeadLetterSql.REMOVE_MATCHING)) {
                delete.setString(1, route);
                delete.setLong(2, since.toEpochMilli());
                return delete.executeUpdate();
            }
        });
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

    /** One unit of work on the store's connection. */
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs the work in one transaction, under the store's lock: committed, or rolled back with a message that
     * names the store ("Cannot WHAT FILE: ...").
     */
    synchronized <T> T inTransaction(String what, Work<T> work) {
        if (connection == null) {
            throw new DeadLetterException("Cannot " + what + " " + file + ": the store is not open", null);
        }
        try {
            T result = work.run(connection);
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
