package io.logferry.sink.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * The SQLite store's one connection, kept open between batches. After a failed batch it is closed and the
 * next batch opens it again: SQLite rolls back by itself after some errors (a full disk among them), which
 * leaves the driver's transaction state wrong.
 */
final class SqliteConnection implements StoreConnections {

    private final SqliteDialect dialect;
    private final StoreSettings settings;
    private Connection connection;

    SqliteConnection(SqliteDialect dialect, StoreSettings settings) {
        this.dialect = dialect;
        this.settings = settings;
    }

    @Override
    public Connection acquire() throws SQLException {
        if (connection == null) {
            connection = dialect.open(settings);
        }
        return connection;
    }

    @Override
    public void release(Connection c) {
        // kept open for the next batch
    }

    @Override
    public void discard(Connection c) {
        close();
    }

    @Override
    public void close() {
        try {
            if (connection != null) {
                connection.close();
            }
        } catch (SQLException ignored) {
            // closing after a failure or on stop: nothing is pending
        }
        connection = null;
    }
}
