package io.logferry.sink.store;

import io.logferry.batch.LogLine;

import java.sql.SQLException;

/**
 * The rows of one batch on their way into {@code lf_store_events}, inserted with the origin key's unique
 * constraint deciding duplicates. Bound to one connection; used by the writer's thread only.
 */
interface EventRows {

    /** Adds one line, whose file has the given id. */
    void add(long fileId, LogLine line, long receivedAtMillis) throws SQLException;

    /** Inserts the lines added since the last call, inside the caller's transaction; returns the new rows. */
    int execute() throws SQLException;
}
