package io.logferry.store;

/** All SQL of the SQLite event store. Table names follow lf_&lt;store&gt;_&lt;thing&gt;. */
final class EventStoreSql {

    static final int SCHEMA_VERSION = 1;

    static final String CREATE_EVENTS = """
            CREATE TABLE IF NOT EXISTS lf_store_events (
              id              INTEGER PRIMARY KEY,
              source          TEXT    NOT NULL,
              fingerprint     TEXT    NOT NULL,
              byte_offset     INTEGER NOT NULL,
              path            TEXT,
              received_at     INTEGER NOT NULL,
              rfc5424         INTEGER NOT NULL,
              pri             INTEGER,
              facility        INTEGER,
              severity        INTEGER,
              version         INTEGER,
              ts              TEXT,
              hostname        TEXT,
              app_name        TEXT,
              procid          TEXT,
              msgid           TEXT,
              structured_data TEXT,
              message         TEXT,
              raw             TEXT    NOT NULL,
              UNIQUE (source, fingerprint, byte_offset)
            )""";

    static final String INSERT = """
            INSERT OR IGNORE INTO lf_store_events (source, fingerprint, byte_offset, path, received_at, rfc5424,
              pri, facility, severity, version, ts, hostname, app_name, procid, msgid, structured_data, message, raw)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private EventStoreSql() {
    }
}
