package io.logferry.sink.store;

/**
 * All SQL of the PostgreSQL event store: the same tables, columns and view as SQLite ({@link SqliteSql}), in
 * PostgreSQL's types. Differences, each measured or forced:
 * <ul>
 *   <li>ids are {@code bigint GENERATED ALWAYS AS IDENTITY}; a row skipped as a duplicate still uses up an
 *       id, so ids have gaps;</li>
 *   <li>every parsed field is a plain column filled at insert. PostgreSQL 15 has no virtual generated
 *       columns, and STORED ones are no smaller; cutting {@code structured_data} and {@code message} out of
 *       {@code raw} by position on the server cost 20-30 % more server CPU than receiving the text (it scans
 *       UTF-8 for character positions), and even {@code facility}/{@code severity} as {@code pri / 8},
 *       {@code pri % 8} cost about 4 % (bench/README.md, "PostgreSQL");</li>
 *   <li>{@code received_at} is the database's {@code now()}: the time the batch's transaction began, one
 *       clock for every instance writing into the database; {@code ts} is a {@code timestamptz} (null when
 *       the line's TIMESTAMP is a NILVALUE or not a date PostgreSQL accepts; {@code raw} keeps the text);</li>
 *   <li>{@code file_id} has no FOREIGN KEY constraint: checking it costs a trigger per row (25-35 % of the
 *       insert's server CPU, measured) and only the writer writes these rows; SQLite does not enforce its
 *       REFERENCES clause either;</li>
 *   <li>the schema version is a row in {@code lf_store_meta}: it is read and written in the same
 *       transaction as the schema it describes, under an advisory lock, so instances starting together
 *       create the schema once.</li>
 * </ul>
 */
final class PostgresSql {

    /** 2: {@code raw_bytes}, the exact bytes of a line that is not valid UTF-8 text or holds a NUL. */
    static final int SCHEMA_VERSION = 2;

    /** Key of the transaction-scoped advisory lock that serialises schema creation (any constant will do). */
    static final long SCHEMA_LOCK = 0x6c66_7374_6f72_65L; // "lfstore"

    static final String LOCK_SCHEMA = "SELECT pg_advisory_xact_lock(" + SCHEMA_LOCK + ")";

    static final String META_EXISTS = "SELECT to_regclass('lf_store_meta') IS NOT NULL";

    static final String CREATE_META = """
            CREATE TABLE IF NOT EXISTS lf_store_meta (
              key   text PRIMARY KEY,
              value text NOT NULL
            )""";

    static final String SELECT_VERSION = "SELECT value FROM lf_store_meta WHERE key = 'schema_version'";

    static final String UPSERT_VERSION = """
            INSERT INTO lf_store_meta (key, value) VALUES ('schema_version', ?)
            ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value""";

    static final String CREATE_FILES = """
            CREATE TABLE IF NOT EXISTS lf_store_files (
              file_id     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              source      text        NOT NULL,
              fingerprint text        NOT NULL,
              path        text,
              first_seen  timestamptz NOT NULL,
              UNIQUE (source, fingerprint)
            )""";

    static final String CREATE_EVENTS = """
            CREATE TABLE IF NOT EXISTS lf_store_events (
              id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
              file_id         bigint      NOT NULL,
              byte_offset     bigint      NOT NULL,
              received_at     timestamptz NOT NULL DEFAULT now(),
              rfc5424         boolean     NOT NULL,
              pri             smallint,
              facility        smallint,
              severity        smallint,
              version         smallint,
              ts              timestamptz,
              hostname        text,
              app_name        text,
              procid          text,
              msgid           text,
              structured_data text,
              message         text,
              raw             text        NOT NULL,
              raw_bytes       bytea,
              UNIQUE (file_id, byte_offset)
            )""";

    static final String CREATE_LINES_VIEW = """
            CREATE OR REPLACE VIEW lf_store_lines AS
              SELECT e.id, f.source, f.fingerprint, e.byte_offset, f.path, e.received_at, e.rfc5424, e.pri,
                     e.facility, e.severity, e.version, e.ts, e.hostname, e.app_name, e.procid, e.msgid,
                     e.structured_data, e.message, e.raw, e.raw_bytes
              FROM lf_store_events e JOIN lf_store_files f ON f.file_id = e.file_id""";

    /** From schema 1 (CREATE OR REPLACE VIEW then adds the column to the view). */
    static final String ADD_RAW_BYTES = "ALTER TABLE lf_store_events ADD COLUMN IF NOT EXISTS raw_bytes bytea";

    static final String INSERT_FILE = """
            INSERT INTO lf_store_files (source, fingerprint, path, first_seen)
            VALUES (?, ?, ?, to_timestamp(? / 1000.0))
            ON CONFLICT (source, fingerprint) DO NOTHING""";

    static final String SELECT_FILE = "SELECT file_id, path FROM lf_store_files WHERE source = ? AND fingerprint = ?";

    static final String UPDATE_FILE_PATH = "UPDATE lf_store_files SET path = ? WHERE file_id = ?";

    /**
     * One statement per batch: every column is an array parameter, {@code unnest} turns them into rows.
     * Measured against a JDBC batch of single-row INSERTs (29,000 rows/s) and the same with the driver's
     * {@code reWriteBatchedInserts} (54,000-62,000 rows/s), this is as fast (54,000-61,000 rows/s), uses a
     * third less client CPU, and reports exactly how many rows were new (a rewritten batch reports none).
     */
    static final String INSERT_EVENTS = """
            INSERT INTO lf_store_events (file_id, byte_offset, rfc5424, pri, facility, severity, version, ts,
              hostname, app_name, procid, msgid, structured_data, message, raw, raw_bytes)
            SELECT * FROM unnest(?::bigint[], ?::bigint[], ?::boolean[], ?::smallint[], ?::smallint[],
              ?::smallint[], ?::smallint[], ?::timestamptz[], ?::text[], ?::text[], ?::text[], ?::text[],
              ?::text[], ?::text[], ?::text[], ?::bytea[])
            ON CONFLICT (file_id, byte_offset) DO NOTHING""";

    private PostgresSql() {
    }
}
