package io.logferry.sink.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The PostgreSQL store, for many logferry instances writing into one database: a small HikariCP pool
 * ({@link PostgresPool}), the schema of {@link PostgresSql} created in one transaction under an advisory lock,
 * and batches inserted by {@link PostgresEventRows} with ON CONFLICT DO NOTHING on the origin key.
 */
final class PostgresDialect implements StoreDialect {

    private final PostgresEventRows rows = new PostgresEventRows();

    @Override
    public StoreConnections connect(StoreSettings settings) {
        PostgresPool pool = PostgresPool.open(settings);
        try {
            Connection connection = pool.acquire();
            try {
                migrate(connection, settings);
                pool.release(connection);
            } catch (SQLException | RuntimeException e) {
                pool.discard(connection);
                throw e;
            }
        } catch (SQLException e) {
            pool.close();
            throw PostgresPool.startupFailure(e, settings);
        } catch (RuntimeException e) {
            pool.close();
            throw e;
        }
        return pool;
    }

    /**
     * Creates the schema on first use, or checks that its version is one this logferry knows. Instances that
     * start together serialise on a transaction-scoped advisory lock, and DDL is transactional here, so the
     * schema appears whole or not at all. Once the schema is there, no DDL runs: the user then needs no CREATE
     * privilege, only SELECT, INSERT and UPDATE on the lf_store_ tables.
     */
    private static void migrate(Connection connection, StoreSettings settings) throws SQLException {
        try (Statement st = connection.createStatement()) {
            st.execute(PostgresSql.LOCK_SCHEMA);
            Integer version = null;
            try (ResultSet rs = st.executeQuery(PostgresSql.META_EXISTS)) {
                rs.next();
                if (!rs.getBoolean(1)) {
                    // CREATE ... IF NOT EXISTS would need the CREATE privilege even when the table exists
                    st.execute(PostgresSql.CREATE_META);
                }
            }
            try (ResultSet rs = st.executeQuery(PostgresSql.SELECT_VERSION)) {
                if (rs.next()) {
                    version = parseVersion(rs.getString(1), settings);
                }
            }
            if (version != null && version > PostgresSql.SCHEMA_VERSION) {
                throw new EventStoreException("The event store " + settings.describe() + " has schema version "
                        + version + ", written by a newer logferry (this one knows " + PostgresSql.SCHEMA_VERSION
                        + "). Upgrade this logferry or point storeUrl at another database.", null);
            }
            if (version == null || version < PostgresSql.SCHEMA_VERSION) {
                st.execute(PostgresSql.CREATE_FILES);
                st.execute(PostgresSql.CREATE_EVENTS);
                st.execute(PostgresSql.ADD_RAW_BYTES);
                st.execute(PostgresSql.CREATE_LINES_VIEW);
                try (PreparedStatement upsert = connection.prepareStatement(PostgresSql.UPSERT_VERSION)) {
                    upsert.setString(1, Integer.toString(PostgresSql.SCHEMA_VERSION));
                    upsert.executeUpdate();
                }
            }
            connection.commit();
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static int parseVersion(String value, StoreSettings settings) {
        try {
            return Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new EventStoreException("The event store " + settings.describe() + " has schema version '"
                    + value + "' in lf_store_meta, which is not a number. Restore that row or use another"
                    + " database.", e);
        }
    }

    @Override
    public String insertFile() {
        return PostgresSql.INSERT_FILE;
    }

    @Override
    public String selectFile() {
        return PostgresSql.SELECT_FILE;
    }

    @Override
    public String updateFilePath() {
        return PostgresSql.UPDATE_FILE_PATH;
    }

    @Override
    public EventRows prepareEvents(Connection connection) throws SQLException {
        return rows.prepare(connection);
    }

    @Override
    public SQLException explain(SQLException e, StoreSettings settings) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String reason = firstLine(e.getMessage());
        String what;
        if (state.startsWith("08") || state.startsWith("57P")) {
            what = "lost the connection to the event store " + settings.describe() + " (" + reason
                    + "); the batch is retried on a new connection";
        } else if (state.equals("53100")) {
            what = "the event store " + settings.describe() + " cannot grow: the database server's disk is full."
                    + " Free space; the lines wait in their files and are retried";
        } else if (state.equals("40P01") || state.equals("40001")) {
            what = "the batch collided with another writer of " + settings.describe() + " (" + reason
                    + "); it is retried";
        } else if (e instanceof java.sql.SQLTransientConnectionException) {
            what = "no connection to the event store " + settings.describe() + " (" + reason
                    + "); the batch is retried";
        } else {
            return e;
        }
        return new SQLException(Character.toUpperCase(what.charAt(0)) + what.substring(1), state, e);
    }

    /** The server's message without the detail lines the driver appends ("Position: 13", "Detail: ..."). */
    static String firstLine(String message) {
        if (message == null) {
            return "no message";
        }
        int end = message.indexOf('\n');
        return (end < 0 ? message : message.substring(0, end)).strip();
    }
}
