package io.logferry.listener;

/** The SQL of the listener's state database: high-water marks and committed ingest file lengths. */
final class ListenerSql {

    static final int SCHEMA_VERSION = 1;

    /** The highest origin offset stored per (client CN, forwarder's file identity). */
    static final String CREATE_MARKS = "CREATE TABLE IF NOT EXISTS lf_listener_marks (source TEXT NOT NULL,"
            + " file TEXT NOT NULL, high INTEGER NOT NULL, PRIMARY KEY (source, file)) WITHOUT ROWID";
    /** How long each ingest file was at the last commit: bytes after that were never acknowledged. */
    static final String CREATE_FILES = "CREATE TABLE IF NOT EXISTS lf_listener_files (path TEXT PRIMARY KEY,"
            + " length INTEGER NOT NULL) WITHOUT ROWID";
    static final String SELECT_MARKS = "SELECT source, file, high FROM lf_listener_marks";
    static final String SELECT_FILES = "SELECT path, length FROM lf_listener_files";
    static final String UPSERT_MARK = "INSERT INTO lf_listener_marks (source, file, high) VALUES (?, ?, ?)"
            + " ON CONFLICT (source, file) DO UPDATE SET high = excluded.high";
    static final String UPSERT_FILE = "INSERT INTO lf_listener_files (path, length) VALUES (?, ?)"
            + " ON CONFLICT (path) DO UPDATE SET length = excluded.length";
    static final String DELETE_FILE = "DELETE FROM lf_listener_files WHERE path = ?";

    private ListenerSql() {
    }
}
