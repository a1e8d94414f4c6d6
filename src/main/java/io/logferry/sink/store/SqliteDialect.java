package io.logferry.sink.store;

import io.logferry.sqlite.SqlitePragmas;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * The default store: one SQLite file in WAL mode, written through a single connection that is kept open
 * between batches and reopened after a failed one (no pool: it would add nothing but cost). The schema
 * version is {@code PRAGMA user_version}.
 */
final class SqliteDialect implements StoreDialect {

    @Override
    public StoreConnections connect(StoreSettings settings) {
        if (!settings.synchronous().matches("(?i)OFF|NORMAL|FULL|EXTRA")) {
            throw new EventStoreException("Event store synchronous must be OFF, NORMAL, FULL or EXTRA, was "
                    + settings.synchronous(), null);
        }
        createDirectory(settings.url());
        SqliteConnection connection = new SqliteConnection(this, settings);
        try {
            connection.release(connection.acquire());
        } catch (SQLException e) {
            connection.close();
            throw new EventStoreException("Cannot open the event store " + settings.url() + ": " + e.getMessage()
                    + ". Check that the file is a logferry event store and that its directory is writable.", e);
        }
        return connection;
    }

    /** Opens a connection with the store's pragmas and creates or checks the schema. Autocommit is off. */
    Connection open(StoreSettings settings) throws SQLException {
        Connection connection = DriverManager.getConnection(settings.url());
        try (Statement st = connection.createStatement()) {
            // the page size must be set before the file turns to WAL
            st.execute(SqliteSql.PAGE_SIZE);
            SqlitePragmas.wal(st, settings.synchronous(), 10_000);
            st.execute("PRAGMA cache_size = -16000");
            migrate(st, settings.url());
            connection.setAutoCommit(false);
            return connection;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    private static void migrate(Statement st, String url) throws SQLException {
        int version = SqlitePragmas.userVersion(st);
        if (version > SqliteSql.SCHEMA_VERSION) {
            throw new EventStoreException("The event store " + url + " has schema version " + version
                    + ", written by a newer logferry (this one knows " + SqliteSql.SCHEMA_VERSION + ")", null);
        }
        if (version == 1) {
            st.execute(SqliteSql.ADD_RAW_BYTES);
            st.execute(SqliteSql.DROP_LINES_VIEW);
        }
        st.execute(SqliteSql.CREATE_FILES);
        st.execute(SqliteSql.CREATE_EVENTS);
        st.execute(SqliteSql.CREATE_LINES_VIEW);
        SqlitePragmas.setUserVersion(st, SqliteSql.SCHEMA_VERSION);
    }

    private static void createDirectory(String url) {
        Path file = Path.of(url.substring(SQLITE_PREFIX.length())).toAbsolutePath();
        try {
            Files.createDirectories(file.getParent());
        } catch (IOException e) {
            throw new EventStoreException("Cannot create the directory of the event store " + file + " (" + e
                    + "). Fix its permissions or point the store URL elsewhere.", e);
        }
    }

    @Override
    public String insertFile() {
        return SqliteSql.INSERT_FILE;
    }

    @Override
    public String selectFile() {
        return SqliteSql.SELECT_FILE;
    }

    @Override
    public String updateFilePath() {
        return SqliteSql.UPDATE_FILE_PATH;
    }

    @Override
    public EventRows prepareEvents(Connection connection) throws SQLException {
        return new SqliteEventRows(connection.prepareStatement(SqliteSql.INSERT_EVENT));
    }

    @Override
    public SQLException explain(SQLException e, StoreSettings settings) {
        if (e instanceof SQLiteException sqlite && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_FULL) {
            return new SQLException("The event store " + settings.url() + " cannot grow: the disk is full. Free"
                    + " space; the lines wait in their files and are retried.", e);
        }
        return e;
    }
}
