package io.logferry.sink.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.pool.HikariPool;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;

/**
 * The PostgreSQL store's connections: a HikariCP pool of one (one writer per route, one batch at a time),
 * borrowed for each batch. Borrowing validates a connection that sat idle, a connection that failed a batch
 * is evicted, and the pool opens a new one, so the writer reconnects by itself after the server restarted or
 * the network dropped. Start-up fails at once, with one sentence naming the URL (never the password) and the
 * fix, when the first connection cannot be opened.
 *
 * <p>Driver defaults, each overridable by the same parameter in the URL: {@code ApplicationName=logferry},
 * {@code connectTimeout}/{@code loginTimeout} from the writer's connect timeout, {@code socketTimeout=300} (a
 * statement whose server vanished without a reset fails after 5 minutes instead of hanging the sink), and
 * {@code tcpKeepAlive=true}.
 */
final class PostgresPool implements StoreConnections {

    private static final long MIN_TIMEOUT_MILLIS = 250;
    private static final long MAX_VALIDATION_MILLIS = 5_000;
    private static final long KEEPALIVE_MILLIS = TimeUnit.MINUTES.toMillis(1);
    private static final int SOCKET_TIMEOUT_SECONDS = 300;

    private final HikariDataSource dataSource;

    private PostgresPool(HikariDataSource dataSource) {
        this.dataSource = dataSource;
    }

    static PostgresPool open(StoreSettings settings) {
        long timeout = Math.max(MIN_TIMEOUT_MILLIS, settings.connectTimeoutMillis());
        long timeoutSeconds = Math.max(1, TimeUnit.MILLISECONDS.toSeconds(timeout + 999));
        HikariConfig config = new HikariConfig();
        config.setPoolName("logferry-store");
        config.setDriverClassName("org.postgresql.Driver");
        config.setJdbcUrl(settings.url());
        config.setUsername(settings.user());
        config.setPassword(settings.password());
        config.setMaximumPoolSize(1);
        config.setMinimumIdle(1);
        config.setAutoCommit(false);
        config.setTransactionIsolation("TRANSACTION_READ_COMMITTED");
        config.setConnectionTimeout(timeout);
        config.setValidationTimeout(Math.max(MIN_TIMEOUT_MILLIS, Math.min(MAX_VALIDATION_MILLIS, timeout - 1)));
        config.setKeepaliveTime(KEEPALIVE_MILLIS);
        // one attempt at start-up, then a clear error; a database that is down must not look like a hang
        config.setInitializationFailTimeout(1);
        config.addDataSourceProperty("ApplicationName", "logferry");
        config.addDataSourceProperty("connectTimeout", Long.toString(timeoutSeconds));
        config.addDataSourceProperty("loginTimeout", Long.toString(timeoutSeconds));
        config.addDataSourceProperty("socketTimeout", Integer.toString(SOCKET_TIMEOUT_SECONDS));
        config.addDataSourceProperty("tcpKeepAlive", "true");
        try {
            return new PostgresPool(new HikariDataSource(config));
        } catch (HikariPool.PoolInitializationException e) {
            if (e.getCause() instanceof SQLException sql) {
                throw startupFailure(sql, settings);
            }
            throw new EventStoreException("Cannot open the event store " + settings.describe() + ": "
                    + (e.getCause() == null ? e.getMessage() : e.getCause().toString()), e);
        }
    }

    /** One sentence for a failure to open the store: what the server said, and what to change. */
    static EventStoreException startupFailure(SQLException e, StoreSettings settings) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String where = settings.describe();
        String message = PostgresDialect.firstLine(e.getMessage());
        String text;
        if (state.equals("28P01")) {
            text = "Cannot log in to the event store " + where + ": " + message + ". Set the template parameter"
                    + " storePassword to that user's password (for example \"{{env:LOGFERRY_STORE_PASSWORD}}\")"
                    + " or correct storeUser.";
        } else if (state.startsWith("28")) {
            text = "Cannot log in to the event store " + where + ": " + message + ". Create the role (CREATE ROLE"
                    + " <user> LOGIN PASSWORD '...'), allow it in the server's pg_hba.conf, or correct storeUser.";
        } else if (state.equals("3D000")) {
            text = "The event store database does not exist: " + where + ": " + message + ". Create it"
                    + " (createdb -O <user> <database>, or CREATE DATABASE <database> OWNER <user>) or correct"
                    + " storeUrl.";
        } else if (state.equals("42501")) {
            text = "Cannot create the event store's tables in " + where + ": " + message + ". Make the user the"
                    + " database's owner or GRANT CREATE ON SCHEMA public TO <user>.";
        } else if (state.startsWith("08") || state.startsWith("57P")) {
            text = "Cannot connect to the event store " + where + ": " + connectFailure(e) + " Check that"
                    + " PostgreSQL runs at"
                    + " that host and port and accepts TCP connections from here (listen_addresses in"
                    + " postgresql.conf, a host line in pg_hba.conf), or correct storeUrl.";
        } else {
            text = "Cannot open the event store " + where + ": " + message;
        }
        return new EventStoreException(text, e);
    }

    /**
     * The driver's first sentence ("Connection to 127.0.0.1:5432 refused.") without the advice it appends, plus
     * the network error behind it when the sentence alone says nothing ("The connection attempt failed.").
     */
    private static String connectFailure(SQLException e) {
        String message = PostgresDialect.firstLine(e.getMessage());
        int end = message.indexOf(". ");
        String sentence = end < 0 ? message : message.substring(0, end + 1);
        Throwable cause = e.getCause();
        if (cause != null && cause != e && !sentence.contains("refused")) {
            sentence = sentence.replaceAll("\\.$", "") + " (" + cause + ").";
        }
        return sentence.endsWith(".") ? sentence : sentence + ".";
    }

    @Override
    public Connection acquire() throws SQLException {
        return dataSource.getConnection();
    }

    @Override
    public void release(Connection connection) {
        closeQuietly(connection);
    }

    @Override
    public void discard(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException ignored) {
            // the connection is probably gone; it is evicted either way
        }
        dataSource.evictConnection(connection);
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private static void closeQuietly(Connection connection) {
        try {
            connection.close();
        } catch (SQLException ignored) {
            // returning a connection to the pool does not fail in a way the batch could act on
        }
    }
}
