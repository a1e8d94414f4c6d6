package io.logferry.offset;

/** All SQL of the offsets database. Table names follow lf_&lt;store&gt;_&lt;thing&gt;. */
final class OffsetSql {

    static final int SCHEMA_VERSION = 1;

    static final String CREATE_TABLE = """
            CREATE TABLE IF NOT EXISTS lf_offsets_files (
              offset_key  TEXT    PRIMARY KEY,
              value       TEXT    NOT NULL,
              updated_at  INTEGER NOT NULL
            )""";

    static final String SELECT = "SELECT value FROM lf_offsets_files WHERE offset_key = ?";

    static final String KEYS = "SELECT offset_key FROM lf_offsets_files ORDER BY offset_key";

    static final String UPSERT = """
            INSERT INTO lf_offsets_files (offset_key, value, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (offset_key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at""";

    private OffsetSql() {
    }
}
