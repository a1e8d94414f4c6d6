package io.logferry.sink.store;

/**
 * All SQL of the SQLite event store (the default dialect). Table names follow lf_&lt;store&gt;_&lt;thing&gt;.
 *
 * <p>The layout is what a single SQLite writer can sustain (measured in bench/): each file's origin
 * (source, fingerprint) is stored once in {@code lf_store_files}, so the unique key of a line is two
 * integers; structured data and message are VIRTUAL columns cut out of {@code raw} by position, so each
 * line's text is written once. {@code lf_store_lines} joins the origin back in for reading.
 */
final class SqliteSql {

    /** 2: {@code raw_bytes}, the exact bytes of a line that is not valid UTF-8 text. */
    static final int SCHEMA_VERSION = 2;

    /** Set before the first table exists; 16 KiB pages write long lines with fewer page splits. */
    static final String PAGE_SIZE = "PRAGMA page_size = 16384";

    static final String CREATE_FILES = """
            CREATE TABLE IF NOT EXISTS lf_store_files (
              file_id     INTEGER PRIMARY KEY,
              source      TEXT    NOT NULL,
              fingerprint TEXT    NOT NULL,
              path        TEXT,
              first_seen  INTEGER NOT NULL,
              UNIQUE (source, fingerprint)
            )""";

    static final String CREATE_EVENTS = """
            CREATE TABLE IF NOT EXISTS lf_store_events (
              id              INTEGER PRIMARY KEY,
              file_id         INTEGER NOT NULL REFERENCES lf_store_files (file_id),
              byte_offset     INTEGER NOT NULL,
              received_at     INTEGER NOT NULL,
              rfc5424         INTEGER NOT NULL,
              pri             INTEGER,
              facility        INTEGER GENERATED ALWAYS AS (pri / 8) VIRTUAL,
              severity        INTEGER GENERATED ALWAYS AS (pri % 8) VIRTUAL,
              version         INTEGER,
              ts              TEXT,
              hostname        TEXT,
              app_name        TEXT,
              procid          TEXT,
              msgid           TEXT,
              sd_start        INTEGER,
              sd_length       INTEGER,
              msg_start       INTEGER,
              structured_data TEXT GENERATED ALWAYS AS (substr(raw, sd_start, sd_length)) VIRTUAL,
              message         TEXT GENERATED ALWAYS AS (substr(raw, msg_start)) VIRTUAL,
              raw             TEXT    NOT NULL,
              raw_bytes       BLOB,
              UNIQUE (file_id, byte_offset)
            )""";

    static final String CREATE_LINES_VIEW = """
            CREATE VIEW IF NOT EXISTS lf_store_lines AS
              SELECT e.id, f.source, f.fingerprint, e.byte_offset, f.path, e.received_at, e.rfc5424, e.pri,
                     e.facility, e.severity, e.version, e.ts, e.hostname, e.app_name, e.procid, e.msgid,
                     e.structured_data, e.message, e.raw, e.raw_bytes
              FROM lf_store_events e JOIN lf_store_files f ON f.file_id = e.file_id""";

    /** From schema 1: the column, and the view again with it. */
    static final String ADD_RAW_BYTES = "ALTER TABLE lf_store_events ADD COLUMN raw_bytes BLOB";
    static final String DROP_LINES_VIEW = "DROP VIEW IF EXISTS lf_store_lines";

    static final String INSERT_FILE = """
            INSERT OR IGNORE INTO lf_store_files (source, fingerprint, path, first_seen) VALUES (?, ?, ?, ?)""";

    static final String SELECT_FILE = "SELECT file_id, path FROM lf_store_files WHERE source = ? AND fingerprint = ?";

    static final String UPDATE_FILE_PATH = "UPDATE lf_store_files SET path = ? WHERE file_id = ?";

    static final String INSERT_EVENT = """
            INSERT OR IGNORE INTO lf_store_events (file_id, byte_offset, received_at, rfc5424, pri, version, ts,
              hostname, app_name, procid, msgid, sd_start, sd_length, msg_start, raw, raw_bytes)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private SqliteSql() {
    }
}
