package io.logferry.sink.syslog;

/** Reconnect delays: the initial delay, doubled after each failure up to the maximum; reset once connected. */
final class Backoff {

    private final long initial;
    private final long max;
    private long next;

    Backoff(long initialMillis, long maxMillis) {
        this.initial = initialMillis;
        this.max = maxMillis;
        this.next = initialMillis;
    }

    /** The delay before the next attempt, in milliseconds; each call doubles the one after. */
    long next() {
        long delay = next;
        next = Math.min(max, next * 2);
        return delay;
    }

    void reset() {
        next = initial;
    }
}
