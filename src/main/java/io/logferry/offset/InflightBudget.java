package io.logferry.offset;

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

    public long used() {
        return used.get();
    }

    public long max() {
        return maxBytes;
    }

    void acquire(long bytes) {
        used.addAndGet(bytes);
    }

    void release(long bytes) {
        used.addAndGet(-bytes);
    }
}
