package io.logferry.deadletter;

import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Feeds a route the dead letters queued for replay through it: one batch of their original lines at a time,
 * whose {@link Confirmation} removes them from the store once the sink confirmed, or gives them back (one
 * attempt more) when the batch failed. A replayed line refused again updates its record, so it is kept, not
 * duplicated. Called from the route's consumer thread; completions arrive from any thread.
 */
public final class ReplaySource {

    private static final Logger LOG = LoggerFactory.getLogger(ReplaySource.class);
    private static final long LOOK_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(500);

    private final DeadLetterStore store;
    private final String routeId;
    private final int maxLines;
    private final AtomicBoolean inFlight = new AtomicBoolean();
    private volatile long nextLookNanos = System.nanoTime();

    public ReplaySource(DeadLetterStore store, String routeId, int maxLines) {
        this.store = store;
        this.routeId = routeId;
        this.maxLines = maxLines;
    }

    /** The next batch to resend, or null when none is queued or the previous one has not completed yet. */
    public LogBatch next() {
        if (inFlight.get() || System.nanoTime() - nextLookNanos < 0) {
            return null;
        }
        nextLookNanos = System.nanoTime() + LOOK_INTERVAL_NANOS;
        ReplayClaim claim = store.replays().claim(routeId, maxLines);
        if (claim.isEmpty()) {
            return null;
        }
        inFlight.set(true);
        List<LogLine> lines = claim.letters().stream().map(stored -> stored.letter().line()).toList();
        long bytes = lines.stream().mapToLong(l -> l.text().getBytes(StandardCharsets.UTF_8).length + 1L).sum();
        LOG.info("Route {}: resending {} dead letter(s)", routeId, lines.size());
        return new LogBatch(lines, List.of(new Replayed(claim)), bytes);
    }

    /** The completion of one replay batch. */
    private final class Replayed implements Confirmation {
        private final ReplayClaim claim;
        private final AtomicBoolean done = new AtomicBoolean();

        Replayed(ReplayClaim claim) {
            this.claim = claim;
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
                inFlight.set(false);
                nextLookNanos = System.nanoTime();
            }
        }
    }
}
