package io.logferry.deadletter;

/**
 * The SQL of the dead-letter store, in one place. A record is one line; {@code created_at} is when it was last
 * refused. Replay state, all NULL for a letter at rest: {@code replay_request} names the replay an operator
 * asked for (it stays, so the request can count what failed again), {@code replay_route} the route that is to
 * resend it (cleared when it failed again), {@code replay_claim} the batch in flight (cleared on failure, and
 * at start-up after a crash).
 */
final class DeadLetterSql {

    static final int SCHEMA_VERSION = 2;

    static final String CREATE_RECORDS = """
            CREATE TABLE IF NOT EXISTS lf_deadletter_records (
              id             INTEGER PRIMARY KEY AUTOINCREMENT,
              created_at     INTEGER NOT NULL,
              route_id       TEXT    NOT NULL,
              sink           TEXT    NOT NULL,
              source         TEXT    NOT NULL,
              fingerprint    TEXT    NOT NULL,
              byte_offset    INTEGER NOT NULL,
              path           TEXT,
              line           TEXT    NOT NULL,
              attempts       INTEGER NOT NULL,
              reason         TEXT    NOT NULL,
              replay_request TEXT,
              replay_route   TEXT,
              replay_claim   TEXT
            )""";

    /** Version 1 had no replay state and no unique origin. */
    static final String[] MIGRATE_FROM_1 = {
        "ALTER TABLE lf_deadletter_records ADD COLUMN replay_request TEXT",
        "ALTER TABLE lf_deadletter_records ADD COLUMN replay_route TEXT",
        "ALTER TABLE lf_deadletter_records ADD COLUMN replay_claim TEXT",
        // the same line refused twice by the same route (read again after a crash): keep the newest
        """
        DELETE FROM lf_deadletter_records WHERE id NOT IN (SELECT max(id) FROM lf_deadletter_records
          GROUP BY route_id, source, fingerprint, byte_offset)""",
    };

    static final String[] CREATE_INDEXES = {
        """
        CREATE UNIQUE INDEX IF NOT EXISTS lf_deadletter_origin
          ON lf_deadletter_records (route_id, source, fingerprint, byte_offset)""",
        // partial: only letters being replayed are in them, so they stay small and cost a write nothing
        """
        CREATE INDEX IF NOT EXISTS lf_deadletter_replay ON lf_deadletter_records (replay_route, replay_claim)
          WHERE replay_route IS NOT NULL""",
        """
        CREATE INDEX IF NOT EXISTS lf_deadletter_claim ON lf_deadletter_records (replay_claim)
          WHERE replay_claim IS NOT NULL""",
        """
        CREATE INDEX IF NOT EXISTS lf_deadletter_request ON lf_deadletter_records (replay_request)
          WHERE replay_request IS NOT NULL""",
    };

    /** A line refused again (a replay, or a re-read after a crash) updates its record instead of adding one. */
    static final String UPSERT = """
            INSERT INTO lf_deadletter_records
              (created_at, route_id, sink, source, fingerprint, byte_offset, path, line, attempts, reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (route_id, source, fingerprint, byte_offset) DO UPDATE SET
              created_at = excluded.created_at, sink = excluded.sink, path = excluded.path, line = excluded.line,
              attempts = lf_deadletter_records.attempts + excluded.attempts, reason = excluded.reason,
              replay_route = NULL, replay_claim = NULL""";

    static final String COUNT = "SELECT count(*) FROM lf_deadletter_records";

    static final String EXISTS = """
            SELECT 1 FROM lf_deadletter_records
            WHERE route_id = ? AND source = ? AND fingerprint = ? AND byte_offset = ?""";

    static final String REMOVE = "DELETE FROM lf_deadletter_records WHERE id = ?";

    /** Parameters: route filter (NULL: all), since. */
    static final String REMOVE_MATCHING = """
            DELETE FROM lf_deadletter_records WHERE (?1 IS NULL OR route_id = ?1) AND created_at >= ?2""";

    static final String DELETE_OLDEST = """
            DELETE FROM lf_deadletter_records WHERE id IN (
              SELECT id FROM lf_deadletter_records WHERE replay_claim IS NULL ORDER BY id LIMIT ?)
            RETURNING route_id, sink""";

    private static final String COLUMNS =
            "id, created_at, route_id, sink, source, fingerprint, byte_offset, path, line, attempts, reason";

    static final String LIST = "SELECT " + COLUMNS + " FROM lf_deadletter_records ORDER BY id LIMIT ?";

    static final String FIND = "SELECT " + COLUMNS + " FROM lf_deadletter_records WHERE id = ?";

    /** Parameters: request, through-route (NULL: each letter's own route), route filter (NULL: all), since. */
    static final String REQUEST_REPLAY = """
            UPDATE lf_deadletter_records SET replay_request = ?1, replay_route = coalesce(?2, route_id)
            WHERE replay_route IS NULL AND (?3 IS NULL OR route_id = ?3) AND created_at >= ?4""";

    static final String NEXT_TO_REPLAY = "SELECT " + COLUMNS
            + " FROM lf_deadletter_records WHERE replay_route = ? AND replay_claim IS NULL ORDER BY id LIMIT ?";

    static final String CLAIM = "UPDATE lf_deadletter_records SET replay_claim = ? WHERE id = ?";

    static final String REPLAYED = "DELETE FROM lf_deadletter_records WHERE replay_claim = ?";

    static final String REPLAY_FAILED = """
            UPDATE lf_deadletter_records SET replay_route = NULL, replay_claim = NULL, attempts = attempts + 1
            WHERE replay_claim = ?""";

    static final String RELEASE_CLAIMS =
            "UPDATE lf_deadletter_records SET replay_claim = NULL WHERE replay_claim IS NOT NULL";

    /** Of one request: how many records are left, and how many of those still wait for their replay. */
    static final String REQUEST_STATE = """
            SELECT count(*), count(replay_route) FROM lf_deadletter_records WHERE replay_request = ?""";

    private DeadLetterSql() {
    }
}
