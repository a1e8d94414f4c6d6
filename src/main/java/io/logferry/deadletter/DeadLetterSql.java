package io.logferry.deadletter;

/** The SQL of the dead-letter store, in one place. */
final class DeadLetterSql {

    static final int SCHEMA_VERSION = 1;

    static final String CREATE_RECORDS = """
            CREATE TABLE IF NOT EXISTS lf_deadletter_records (
              id          INTEGER PRIMARY KEY AUTOINCREMENT,
              created_at  INTEGER NOT NULL,
              route_id    TEXT    NOT NULL,
              sink        TEXT    NOT NULL,
              source      TEXT    NOT NULL,
              fingerprint TEXT    NOT NULL,
              byte_offset INTEGER NOT NULL,
              path        TEXT,
              line        TEXT    NOT NULL,
              attempts    INTEGER NOT NULL,
              reason      TEXT    NOT NULL
            )""";

    static final String INSERT = """
            INSERT INTO lf_deadletter_records
              (created_at, route_id, sink, source, fingerprint, byte_offset, path, line, attempts, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    static final String COUNT = "SELECT count(*) FROM lf_deadletter_records";

    static final String LIST = """
            SELECT id, created_at, route_id, sink, source, fingerprint, byte_offset, path, line, attempts, reason
            FROM lf_deadletter_records ORDER BY id LIMIT ?""";

    static final String FIND = """
            SELECT id, created_at, route_id, sink, source, fingerprint, byte_offset, path, line, attempts, reason
            FROM lf_deadletter_records WHERE id = ?""";

    private DeadLetterSql() {
    }
}
