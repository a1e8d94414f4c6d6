package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.redelivery.RateLimitedLog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that stores what every connection of a listener received, with group commit: it takes all
 * batches that are waiting, hands them to the {@link ListenerOutput} in one go (one flush, one commit), and
 * only then acknowledges: so an ack always means "stored", and one commit serves many batches. A failure closes
 * the batches' connections unacknowledged (their senders send them again).
 */
final class ListenerWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerWriter.class);
    private static final RateLimitedLog INVALID_ORIGINS = new RateLimitedLog(LOG, 10_000);
    private static final int MAX_GROUP = 512;

    /** A batch waiting to be stored, and what to do once it is. */
    record Pending(ReceivedFrames batch, Runnable onStored, Consumer<Exception> onFailed) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final ListenerOutput output;
    private final ListenerMeters meters;
    private final String route;
    private volatile boolean running = true;
    private long lastFailureLog;

    ListenerWriter(ListenerOutput output, ListenerMeters meters, String route) {
        this.output = output;
        this.meters = meters;
        this.route = route;
    }

    void submit(Pending pending) {
        queue.add(pending);
    }

    void stop() {
        running = false;
    }

    @Override
    public void run() {
        List<Pending> group = new ArrayList<>();
        while (running || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                group.add(first);
                queue.drainTo(group, MAX_GROUP - 1);
                store(group);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                running = false;
            } finally {
                group.clear();
            }
        }
        failRemaining();
    }

    private void store(List<Pending> group) {
        // Batches that came after a failed one on the same connection must not be stored: their origins would
        // raise the high-water mark past the failed frames, and the sender's resend of those would be dropped.
        List<Pending> abandoned = group.stream().filter(p -> p.batch().connection().hasFailed()).toList();
        if (!abandoned.isEmpty()) {
            IllegalStateException why = new IllegalStateException("an earlier batch of this connection failed");
            abandoned.forEach(p -> p.onFailed().accept(why));
            group = group.stream().filter(p -> !p.batch().connection().hasFailed()).toList();
            if (group.isEmpty()) {
                return;
            }
        }
        ListenerOutput.Stored stored;
        try {
            stored = output.store(group.stream().map(Pending::batch).toList());
        } catch (Exception e) {
            failed(group, e);
            return;
        }
        meters.stored(stored.frames());
        meters.duplicates(stored.duplicates());
        if (stored.invalidOrigins() > 0) {
            meters.invalidOrigins(stored.invalidOrigins());
            INVALID_ORIGINS.warn(route, () -> "Listener " + route + ": " + stored.invalidOrigins() + " frame(s) carried"
                    + " an origin element whose offset does not fit a long (not a logferry forwarder's); stored"
                    + " without deduplication");
        }
        acknowledge(group);
    }

    /** Completes the batches in order; each connection gets one ack, for its last batch in the group. */
    private static void acknowledge(List<Pending> group) {
        Map<ListenerConnection, ReceivedFrames> last = new LinkedHashMap<>();
        for (Pending pending : group) {
            last.put(pending.batch().connection(), pending.batch());
        }
        for (Pending pending : group) {
            ReceivedFrames batch = pending.batch();
            batch.connection().stored(batch, last.get(batch.connection()) == batch);
            pending.onStored().run();
        }
    }

    private void failed(List<Pending> group, Exception e) {
        long now = System.currentTimeMillis();
        if (now - lastFailureLog > 10_000) {
            lastFailureLog = now;
            LOG.error("Listener {}: cannot store {} batch(es): {}. Their connections are closed unacknowledged and"
                    + " the senders send them again; check the disk space and permissions of the ingest directory"
                    + " or the store.", route, group.size(), e.getMessage());
        }
        for (Pending pending : group) {
            pending.batch().connection().failed();
            pending.onFailed().accept(e);
        }
    }

    private void failRemaining() {
        List<Pending> rest = new ArrayList<>();
        queue.drainTo(rest);
        IllegalStateException stopped = new IllegalStateException("the listener stopped before storing the batch");
        for (Pending pending : rest) {
            pending.batch().connection().failed();
            pending.onFailed().accept(stopped);
        }
    }
}
