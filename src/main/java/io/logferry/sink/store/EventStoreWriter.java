package io.logferry.sink.store;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.sink.SinkStoppedException;
import org.apache.camel.support.service.ServiceSupport;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Writes each {@link LogBatch} into the event store in one transaction, ignoring rows whose origin key (the
 * file's source and fingerprint, through its file id, and the byte offset) is already there, so a batch sent
 * again after a crash or a failed delivery inserts nothing twice. Lines that are RFC 5424 messages are stored
 * with their parsed fields, others raw with {@code rfc5424} false. A failure throws, which leaves the batch's
 * offsets where they were; the next batch starts on a fresh connection. The tail templates reach it through
 * {@link EventStoreSink}, the syslog listener directly.
 *
 * <p>The database follows from the URL ({@link StoreDialect}): {@code jdbc:sqlite:FILE} (one connection kept
 * open) or {@code jdbc:postgresql://HOST[:PORT]/DATABASE} (a one-connection HikariCP pool, borrowed per
 * batch, so a connection lost between or during batches is replaced). Thread-safe: one batch at a time.
 */
public final class EventStoreWriter extends ServiceSupport {

    private String url = "jdbc:sqlite:data/events.db";
    private String user;
    private String password;
    private String synchronous = "FULL";
    private long connectTimeout = 10_000;

    private StoreSettings settings;
    private StoreDialect dialect;
    private StoreConnections connections;
    private FileIds fileIds;
    private Connection preparedFor;
    private EventRows rows;

    /**
     * JDBC URL of the event store: {@code jdbc:sqlite:data/events.db} (default) or
     * {@code jdbc:postgresql://db.example.org:5432/logs}. A {@code password=} parameter in it is never logged.
     */
    public void setUrl(String url) {
        this.url = url == null ? null : url.strip();
    }

    public String getUrl() {
        return url;
    }

    /** PostgreSQL user; blank means the driver's default (a {@code user=} URL parameter, else the OS user). */
    public void setUser(String user) {
        this.user = user == null || user.isBlank() ? null : user.strip();
    }

    /** PostgreSQL password of that user; blank means none. Never logged. */
    public void setPassword(String password) {
        this.password = password == null || password.isBlank() ? null : password;
    }

    /**
     * SQLite {@code synchronous} setting: FULL (default) makes a stored batch survive a power loss before its
     * offsets are committed; NORMAL is faster and still safe against a process crash. Ignored by PostgreSQL,
     * whose server decides (its {@code synchronous_commit}).
     */
    public void setSynchronous(String synchronous) {
        this.synchronous = synchronous;
    }

    /**
     * PostgreSQL: milliseconds to wait for a connection (to open one at start-up, or to get one for a batch
     * after the last was lost) before the attempt fails. Default 10000, at least 250.
     */
    public void setConnectTimeout(long connectTimeout) {
        this.connectTimeout = connectTimeout;
    }

    @Override
    protected synchronized void doStart() {
        settings = new StoreSettings(url, user, password, synchronous, connectTimeout);
        dialect = StoreDialect.forUrl(url);
        connections = dialect.connect(settings);
        fileIds = new FileIds(dialect);
        preparedFor = null;
    }

    @Override
    protected synchronized void doStop() {
        if (connections != null) {
            connections.close();
            connections = null;
        }
        preparedFor = null;
    }

    /** {@code store:URL} without passwords, for logs and dead letters. */
    public String endpoint() {
        return "store:" + StoreSettings.redact(url);
    }

    /** Inserts the batch in one transaction; returns the number of new rows (duplicates are ignored). */
    public synchronized int write(LogBatch batch) throws SQLException {
        if (connections == null) {
            throw new SinkStoppedException("The event store writer for " + StoreSettings.redact(url)
                    + " is not started");
        }
        Connection connection;
        try {
            connection = connections.acquire();
        } catch (SQLException e) {
            throw dialect.explain(e, settings);
        }
        boolean committed = false;
        try {
            if (connection != preparedFor) {
                rows = dialect.prepareEvents(connection);
                fileIds.prepare(connection);
                preparedFor = connection;
            }
            long now = System.currentTimeMillis();
            for (LogLine line : batch.lines()) {
                rows.add(fileIds.idOf(line, now), line, now);
            }
            int inserted = rows.execute();
            connection.commit();
            committed = true;
            fileIds.committed();
            return inserted;
        } catch (SQLException e) {
            throw dialect.explain(e, settings);
        } finally {
            if (committed) {
                connections.release(connection);
            } else {
                fileIds.rolledBack();
                preparedFor = null;
                connections.discard(connection);
            }
        }
    }
}
