package io.logferry.sink.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * Where the writer gets the connection for one batch. Autocommit is off on every connection handed out. Used
 * by the writer's thread only.
 */
interface StoreConnections extends AutoCloseable {

    /** A connection for the next batch; opens one when there is none (after a failure, say). */
    Connection acquire() throws SQLException;

    /** The batch committed: the connection may be used again. */
    void release(Connection connection);

    /** The batch failed: the connection is closed, so the next batch starts on a fresh one. */
    void discard(Connection connection);

    @Override
    void close();
}
