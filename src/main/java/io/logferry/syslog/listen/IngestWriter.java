package io.logferry.syslog.listen;

import io.logferry.metrics.ListenerMeters;
import io.logferry.syslog.Origin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one thread that stores what every connection of a listener received, with group commit: it takes all
 * batches that are waiting, drops frames at or below their (source, file) high-water mark, appends the rest to
 * the ingest files, flushes them, commits the new marks and file lengths in one SQLite transaction, and only
 * then acknowledges: so an ack always means "on disk", and one flush and one commit serve many batches. A
 * failure cuts the files back to the last commit and closes the batches' connections unacknowledged (their
 * senders send them again).
 */
final class IngestWriter implements Runnable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestWriter.class);
    private static final int MAX_GROUP = 512;

    /** A batch waiting to be stored, and what to do once it is. */
    record Pending(ReceivedFrames batch, Runnable onStored, Consumer<Exception> onFailed) {
    }

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final IngestFiles files;
    private final ListenerState state;
    private final ListenerMeters meters;
    private final boolean dedup;
    private final String route;
    private final Clock clock;
    private volatile boolean running = true;
    private long lastFailureLog;

    IngestWriter(IngestFiles files, ListenerState state, ListenerMeters meters, boolean dedup, String route,
                 Clock clock) {
        this.files = files;
        this.state = state;
        this.meters = meters;
        this.dedup = dedup;
        this.route = route;
        this.clock = clock;
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
        Map<ListenerState.MarkKey, Long> marks = new HashMap<>();
        int duplicates = 0;
        int stored = 0;
        try {
            LocalDate today = LocalDate.now(clock);
            for (Pending pending : group) {
                ReceivedFrames batch = pending.batch();
                String source = batch.connection().source();
                IngestAppender appender = null;
                for (byte[] frame : batch.frames()) {
                    if (dedup && isRepeat(source, frame, marks)) {
                        duplicates++;
                        continue;
                    }
                    if (appender == null) {
                        appender = files.appender(source, today);
                    }
                    appender.append(frame);
                    stored++;
                }
            }
            Map<Path, Long> lengths = files.flush();
            state.commit(marks, lengths);
            files.committed();
        } catch (IOException | SQLException | RuntimeException e) {
            files.rollback();
            failed(group, e);
            return;
        }
        meters.stored(stored);
        meters.duplicates(duplicates);
        acknowledge(group);
    }

    /** True when the frame's origin is at or below its mark; otherwise raises the mark (in {@code marks}). */
    private boolean isRepeat(String source, byte[] frame, Map<ListenerState.MarkKey, Long> marks) {
        Origin origin = Origin.find(frame);
        if (origin == null) {
            return false;
        }
        ListenerState.MarkKey key = new ListenerState.MarkKey(source, origin.file());
        Long pending = marks.get(key);
        long high = pending != null ? pending : state.mark(key);
        if (origin.offset() <= high) {
            return true;
        }
        marks.put(key, origin.offset());
        return false;
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
                    + " the senders send them again; check the ingest directory's disk space and permissions.",
                    route, group.size(), e.getMessage());
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
