package io.logferry.deadletter;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * The replay state of the dead-letter store: an operator's request marks letters for a route, that route's
 * {@link ReplaySource} claims them a batch at a time, and the batch's outcome removes them (delivered) or
 * gives them back with one attempt more (failed). Works in the store's transactions, so it may be used from
 * another process (the CLI) while logferry runs. Thread-safe.
 */
public final class ReplayQueue {

    private final DeadLetterStore store;

    ReplayQueue(DeadLetterStore store) {
        this.store = store;
    }

    /**
     * Marks the letters of {@code route} (null: every route) refused at or after {@code since} for replay through
     * {@code through} (null: each letter's own route). Letters already queued are left as they are.
     */
    public ReplayRequest request(String route, String through, Instant since) {
        String id = UUID.randomUUID().toString();
        int queued = store.inTransaction("queue dead letters for replay in", connection -> {
            try (PreparedStatement update = connection.prepareStatement(DeadLetterSql.REQUEST_REPLAY)) {
                update.setString(1, id);
                update.setString(2, through);
                update.setString(3, route);
                update.setLong(4, since.toEpochMilli());
                return update.executeUpdate();
            }
        });
        return new ReplayRequest(id, queued);
    }

    /** How a request stands: what was delivered (removed), failed again, or still waits. */
    public ReplayProgress progress(ReplayRequest request) {
        return store.inTransaction("read the replay state in", connection -> {
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.REQUEST_STATE)) {
                select.setString(1, request.id());
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    long left = rs.getLong(1);
                    long waiting = rs.getLong(2);
                    return new ReplayProgress(request.queued() - left, left - waiting, waiting);
                }
            }
        });
    }

    /**
     * Claims up to {@code max} letters queued for replay through {@code route}, oldest first, for one batch:
     * {@link #replayed} removes them, {@link #replayFailed} gives them back. Empty when none wait.
     */
    public ReplayClaim claim(String route, int max) {
        String claim = UUID.randomUUID().toString();
        List<StoredDeadLetter> letters = store.inTransaction("claim dead letters for replay in", connection -> {
            List<StoredDeadLetter> next;
            try (PreparedStatement select = connection.prepareStatement(DeadLetterSql.NEXT_TO_REPLAY)) {
                select.setString(1, route);
                select.setInt(2, max);
                next = DeadLetterRows.readAll(select);
            }
            try (PreparedStatement update = connection.prepareStatement(DeadLetterSql.CLAIM)) {
                for (StoredDeadLetter letter : next) {
                    update.setString(1, claim);
                    update.setLong(2, letter.id());
                    update.addBatch();
                }
                update.executeBatch();
            }
            return next;
        });
        return new ReplayClaim(claim, letters);
    }

    /** The claimed letters were delivered: removes those not refused again meanwhile (those were updated). */
    public void replayed(ReplayClaim claim) {
        updateClaim("remove replayed dead letters from", DeadLetterSql.REPLAYED, claim);
    }

    /** The replay failed: the letters stay, one attempt more, until an operator asks again. */
    public void replayFailed(ReplayClaim claim) {
        updateClaim("give back dead letters whose replay failed to", DeadLetterSql.REPLAY_FAILED, claim);
    }

    /** Claims of an earlier run (it stopped before their batches completed) go back to waiting. */
    public void releaseClaims() {
        store.inTransaction("release replay claims in", connection -> {
            try (Statement st = connection.createStatement()) {
                return st.executeUpdate(DeadLetterSql.RELEASE_CLAIMS);
            }
        });
    }

    private void updateClaim(String what, String sql, ReplayClaim claim) {
        store.inTransaction(what, connection -> {
            try (PreparedStatement update = connection.prepareStatement(sql)) {
                update.setString(1, claim.id());
                return update.executeUpdate();
            }
        });
    }
}
