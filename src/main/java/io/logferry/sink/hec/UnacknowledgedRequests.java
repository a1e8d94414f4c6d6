package io.logferry.sink.hec;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The requests a collector accepted and has not acknowledged yet, wherever they are now (awaiting their ack
 * or resent): what the sink's readiness and meters report. Kept apart from the sessions' pending maps because
 * a resent request leaves those. Thread-safe.
 */
final class UnacknowledgedRequests {

    /** Requests unacknowledged past the limit, the oldest one's wait and the collector it last went to. */
    record Overdue(int requests, long oldestSeconds, String url) {
        String describe() {
            return requests + " request(s) unacknowledged for " + oldestSeconds + " s on " + url;
        }
    }

    private final Set<HecRequest> requests = ConcurrentHashMap.newKeySet();

    /** The collector accepted {@code request} (again, after a resend): its wait started at the first time. */
    void accepted(HecRequest request, long nowNanos) {
        if (request.firstAcceptedNanos == 0) {
            request.firstAcceptedNanos = nowNanos;
        }
        requests.add(request);
    }

    void settled(HecRequest request) {
        requests.remove(request);
    }

    void clear() {
        requests.clear();
    }

    int count() {
        return requests.size();
    }

    /** Seconds the oldest has waited since the collector first accepted it; 0 when none waits. */
    double oldestSeconds() {
        long now = System.nanoTime();
        long oldest = 0;
        for (HecRequest request : requests) {
            oldest = Math.max(oldest, now - request.firstAcceptedNanos);
        }
        return oldest / 1e9;
    }

    /** Those that have waited longer than {@code limitMillis}. */
    Overdue overdue(long limitMillis) {
        long now = System.nanoTime();
        long limit = TimeUnit.MILLISECONDS.toNanos(limitMillis);
        int count = 0;
        long oldest = 0;
        String url = "";
        for (HecRequest request : requests) {
            long age = now - request.firstAcceptedNanos;
            if (age > limit) {
                count++;
                if (age > oldest) {
                    oldest = age;
                    url = request.sentTo;
                }
            }
        }
        return new Overdue(count, TimeUnit.NANOSECONDS.toSeconds(oldest), url);
    }
}
