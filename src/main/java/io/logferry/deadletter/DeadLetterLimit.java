package io.logferry.deadletter;

import io.logferry.redelivery.RateLimitedLog;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The bound on the dead-letter store ({@code logferry.deadletters.max-records}) and what a write does at it
 * ({@code logferry.deadletters.when-full}): {@code wait} (default) refuses the write, so the lines stay
 * undelivered and their route retries until an operator makes room; {@code drop-oldest} removes the oldest
 * records, counted by route and sink. Either way it warns, at most once per interval. Thread-safe.
 */
public final class DeadLetterLimit {

    public static final DeadLetterLimit UNBOUNDED = new DeadLetterLimit(0, false, (route, sink, lines) -> { },
            10_000);

    /** Told about records removed to make room. */
    public interface DropListener {
        void dropped(String route, String sink, int lines);
    }

    private final long maxRecords;
    private final boolean dropOldest;
    private final DropListener listener;
    private final RateLimitedLog log;
    private volatile boolean full;

    public DeadLetterLimit(long maxRecords, boolean dropOldest, DropListener listener, long logIntervalMillis) {
        this.maxRecords = maxRecords;
        this.dropOldest = dropOldest;
        this.listener = listener;
        this.log = new RateLimitedLog(LoggerFactory.getLogger(DeadLetterLimit.class), logIntervalMillis);
    }

    /** Reads {@code wait} or {@code drop-oldest}. */
    public static boolean dropsOldest(String whenFull) {
        return switch (whenFull.strip().toLowerCase(Locale.ROOT)) {
            case "wait" -> false;
            case "drop-oldest" -> true;
            default -> throw new IllegalArgumentException("logferry.deadletters.when-full must be wait or drop-oldest,"
                    + " not '" + whenFull + "'");
        };
    }

    /** True while a write waits for room (wait mode): the routes that refused lines make no progress. */
    public boolean isFull() {
        return full;
    }

    /**
     * Makes room for the letters in the caller's transaction, or throws when it must wait. A letter that has a
     * record already (refused again) takes no room.
     */
    void makeRoom(Connection connection, List<DeadLetter> letters, Path file) throws SQLException {
        if (maxRecords <= 0) {
            return;
        }
        long count = DeadLetterRows.count(connection);
        // records refused again take no room; look them up only when the count alone says it is short
        int incoming = count + letters.size() <= maxRecords ? letters.size() : newRecords(connection, letters);
        long over = count + incoming - maxRecords;
        full = over > 0 && !dropOldest;
        if (over <= 0) {
            return;
        }
        if (!dropOldest) {
            String message = "The dead-letter store " + file + " is full (logferry.deadletters.max-records="
                    + maxRecords + "): " + incoming + " refused line(s) wait, and their route makes no progress."
                    + " Replay or remove dead letters, raise the limit, or set"
                    + " logferry.deadletters.when-full=drop-oldest";
            log.warn("full", () -> message);
            throw new DeadLetterStoreFullException(message);
        }
        int dropped = dropOldest(connection, over);
        log.warn("dropped", () -> "The dead-letter store " + file + " is full (logferry.deadletters.max-records="
                + maxRecords + "): removed the oldest " + dropped + " dead letter(s) to keep new ones"
                + " (logferry_events_dropped_total counts them)");
    }

    private static int newRecords(Connection connection, List<DeadLetter> letters) throws SQLException {
        int fresh = 0;
        try (PreparedStatement exists = connection.prepareStatement(DeadLetterSql.EXISTS)) {
            for (DeadLetter letter : letters) {
                exists.setString(1, letter.routeId());
                exists.setString(2, letter.line().source());
                exists.setString(3, letter.line().fingerprint());
                exists.setLong(4, letter.line().offset());
                try (ResultSet rs = exists.executeQuery()) {
                    fresh += rs.next() ? 0 : 1;
                }
            }
        }
        return fresh;
    }

    private int dropOldest(Connection connection, long over) throws SQLException {
        Map<Dropped, Integer> byRouteAndSink = new HashMap<>();
        int dropped = 0;
        try (PreparedStatement delete = connection.prepareStatement(DeadLetterSql.DELETE_OLDEST)) {
            delete.setLong(1, over);
            try (ResultSet rs = delete.executeQuery()) {
                while (rs.next()) {
                    byRouteAndSink.merge(new Dropped(rs.getString(1), sinkKind(rs.getString(2))), 1, Integer::sum);
                    dropped++;
                }
            }
        }
        byRouteAndSink.forEach((key, lines) -> listener.dropped(key.route(), key.sink(), lines));
        return dropped;
    }

    /** The tags under which removed records are counted. */
    private record Dropped(String route, String sink) {
    }

    /** The kind of sink, a bounded tag: {@code hec} of {@code hec:https://...}. */
    private static String sinkKind(String sink) {
        int colon = sink.indexOf(':');
        return colon < 0 ? sink : sink.substring(0, colon);
    }
}
