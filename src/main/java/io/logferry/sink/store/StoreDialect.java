package io.logferry.sink.store;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What differs between the databases the event store runs on: how the writer gets a connection, the schema
 * and its version, how a file's id is registered and how a batch's rows are inserted. Chosen from the JDBC
 * URL by {@link #forUrl(String)}; SQLite is the default, PostgreSQL lets many logferry instances write into
 * one database.
 */
interface StoreDialect {

    String SQLITE_PREFIX = "jdbc:sqlite:";
    String POSTGRES_PREFIX = "jdbc:postgresql:";

    static StoreDialect forUrl(String url) {
        if (url != null && url.startsWith(SQLITE_PREFIX)) {
            return new SqliteDialect();
        }
        if (url != null && url.startsWith(POSTGRES_PREFIX)) {
            return new PostgresDialect();
        }
        throw new EventStoreException("Unsupported event store URL " + StoreSettings.redact(url) + ": use "
                + SQLITE_PREFIX + "<file> (e.g. jdbc:sqlite:data/events.db) or " + POSTGRES_PREFIX
                + "//<host>[:<port>]/<database>", null);
    }

    /**
     * Opens the store: connects, creates the schema on first use or checks its version. A failure is an
     * {@link EventStoreException} whose message names the store (never the password) and what to do.
     */
    StoreConnections connect(StoreSettings settings);

    /** SQL that registers a file's origin, ignoring a conflict: source, fingerprint, path, first seen (epoch ms). */
    String insertFile();

    /** SQL that looks up a file: source, fingerprint → file_id, path. */
    String selectFile();

    /** SQL that moves a file to its latest path: path, file_id. */
    String updateFilePath();

    /** Prepares the batch insert of event rows on this connection. */
    EventRows prepareEvents(Connection connection) throws SQLException;

    /** Turns a failure of a batch into one that says what happened and what happens next. */
    SQLException explain(SQLException e, StoreSettings settings);
}
