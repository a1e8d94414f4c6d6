package io.logferry.deadletter;

import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.offset.InflightBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds a route the dead letters queued for replay through it, in batches of their original lines whose
 * {@link Confirmation} removes them from the store once the sink confirmed, or gives them back (one attempt
 * more) when the batch failed. A replayed line refused again updates its record, so it is kept, not
 * duplicated. Replay batches count against the route's in-flight budget like the lines read from files, so a
 * large replay runs at the sink's pace without holding more than the budget. Called from the route's
 * consumer thread; completions arrive from any thread.
 */
public final class ReplaySource {

    private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);
    private static final long LOOK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final DeadLetterStore store;
    private final String routeId;
    private final int maxLines;
    private final InflightBudget budget;
    private volatile long nextLookNanos = System.nanoTime();

    public ReplaySource(DeadLetterStore store, String routeId, int maxLines, InflightBudget budget) {
        this.store = store;
        this.routeId = routeId;
        this.maxLines = maxLines;
        this.budget = budget;
    }

    /**
     * The next batch to resend, or null when the budget is full or none is queued (then the store is looked at
     * again after a short while, not at every poll).
     */
    public LogBatch next() {
        if (!budget.hasRoom() || System.nanoTime() - nextLookNanos < 0) {
            return null;
        }
        ReplayClaim claim = store.replays().claim(routeId, maxLines);
        if (claim.isEmpty()) {
            nextLookNanos = System.nanoTime() + LOOK_INTERVAL_NANOS;
            return null;
        }
        List<LogLine> lines = claim.letters().stream().map(stored -> stored.letter().line()).toList();
        long bytes = lines.stream().mapToLong(l -> l.length() + 1L).sum();
        budget.acquire(bytes);
        LOG.debug("Route {}: resending {} dead letter(s)", routeId, lines.size());
        return new LogBatch(lines, List.of(new Replayed(claim, bytes)), bytes);
    }

    /** The completion of one replay batch. */
    private final class Replayed implements Confirmation {
        private final ReplayClaim claim;
        private final long bytes;
        private final AtomicBoolean done = new AtomicBoolean();

        Replayed(ReplayClaim claim, long bytes) {
            this.claim = claim;
            this.bytes = bytes;
        }

        @Override
        public void delivered() {
            complete(true);
        }

        @Override
        public void failed() {
            complete(false);
        }

        private void complete(boolean delivered) {
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                if (delivered) {
                    store.replays().replayed(claim);
                } else {
                    store.replays().replayFailed(claim);
                    LOG.warn("Route {}: the replay of {} dead letter(s) failed; they stay in the store",
                            routeId, claim.letters().size());
                }
            } catch (DeadLetterException e) {
                // claimed records are released at the next start and resent: at least once, never lost
                LOG.warn("Route {}: {}", routeId, e.getMessage());
            } finally {
                budget.release(bytes);
            }
        }
    }
}
