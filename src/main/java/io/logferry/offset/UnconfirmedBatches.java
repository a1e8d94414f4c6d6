package io.logferry.offset;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Batches (and their lines) handed to a sink and not yet confirmed, over all routes, and the lines whose
 * batches failed since the stop began: what a stop that ends now leaves uncommitted, to be sent again by the
 * next run. Fed by {@link OffsetCommitter}; read by the stop sequence for its log lines and exit code.
 * Thread-safe.
 */
public final class UnconfirmedBatches {

    private final AtomicLong batches = new AtomicLong();
    private final AtomicLong lines = new AtomicLong();
    private final AtomicLong failedWhileStopping = new AtomicLong();
    private volatile boolean stopping;

    void sent(int batchLines) {
        batches.incrementAndGet();
        lines.addAndGet(batchLines);
    }

    void done(int batchLines, boolean delivered) {
        batches.decrementAndGet();
        lines.addAndGet(-batchLines);
        if (!delivered && stopping) {
            failedWhileStopping.addAndGet(batchLines); // the stopped tail will not read them again in this run
        }
    }

    /** The stop began: from now on a failed batch stays unconfirmed until the next run. */
    public void stopping() {
        stopping = true;
    }

    /** Batches at a sink, not yet confirmed. */
    public long inFlightBatches() {
        return batches.get();
    }

    /** Lines of batches still in flight plus lines of batches that failed since the stop began. */
    public long unconfirmedLines() {
        return lines.get() + failedWhileStopping.get();
    }
}
