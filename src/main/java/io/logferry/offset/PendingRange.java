package io.logferry.offset;

import io.logferry.batch.Confirmation;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A byte range of one file that was handed to a route and is not yet confirmed. Its owner is a
 * {@link CommitWindow}; completing the range (from any thread, once) tells the window whether the sink
 * confirmed it.
 */
public final class PendingRange implements Confirmation {

    private final CommitWindow window;
    private final long generation;
    private final long start;
    private final long end;
    private final long sinceNanos;
    private final AtomicBoolean completed = new AtomicBoolean();
    private volatile boolean delivered;
    /** Set under the window's lock once the window has taken this range's outcome into account. */
    private boolean ended;

    PendingRange(CommitWindow window, long generation, long start, long end, long sinceNanos) {
        this.window = window;
        this.generation = generation;
        this.start = start;
        this.end = end;
        this.sinceNanos = sinceNanos;
    }

    @Override
    public void delivered() {
        if (completed.compareAndSet(false, true)) {
            delivered = true;
            window.complete(this);
        }
    }

    /** Delivery failed: the window rewinds so the range is read and sent again. */
    @Override
    public void failed() {
        if (completed.compareAndSet(false, true)) {
            window.complete(this);
        }
    }

    public long start() {
        return start;
    }

    public long end() {
        return end;
    }

    public long length() {
        return end - start;
    }

    public String key() {
        return window.key();
    }

    boolean isDelivered() {
        return delivered;
    }

    long generation() {
        return generation;
    }

    /** When these bytes were first read (earlier than this range when they are read again after a failure). */
    long sinceNanos() {
        return sinceNanos;
    }

    void ended() {
        ended = true;
    }

    boolean hasEnded() {
        return ended;
    }

    @Override
    public String toString() {
        return window.key() + "[" + start + "," + end + ")";
    }
}
