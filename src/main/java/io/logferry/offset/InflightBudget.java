package io.logferry.offset;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bytes handed to a route and not yet confirmed, shared by all files of one consumer. The consumer reads
 * only while there is room, so a stalled sink stops the tail and the file on disk is the buffer
 * (DESIGN invariant 3). Thread-safe.
 */
public final class InflightBudget {

    private final long maxBytes;
    private final AtomicLong used = new AtomicLong();

    public InflightBudget(long maxBytes) {
        this.maxBytes = maxBytes;
    }

    public boolean hasRoom() {
        return used.get() < maxBytes;
    }

    /**
     * Waits until there is room, at most {@code timeoutMillis}; returns whether there is. Lets the reader
     * continue the moment the sink confirms, instead of at its next poll, so the sink never runs dry.
     */
    public boolean awaitRoom(long timeoutMillis) throws InterruptedException {
        if (hasRoom()) {
            return true;
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        synchronized (this) {
            long left;
            while (!hasRoom() && (left = deadline - System.nanoTime()) > 0) {
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
        }
        return hasRoom();
    }

    public long used() {
        return used.get();
    }

    public long max() {
        return maxBytes;
    }

    public void acquire(long bytes) {
        used.addAndGet(bytes);
    }

    public void release(long bytes) {
        long now = used.addAndGet(-bytes);
        if (now < maxBytes && now + bytes >= maxBytes) {
            synchronized (this) {
                notifyAll();
            }
        }
    }
}
