package io.logferry.testsupport.datadog;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures a test scripts into the fake intake, at any time and from any thread. Counted faults apply to the
 * next N requests to {@code /api/v2/logs} that pass the API key check, in this order: connection reset, 408,
 * 429, 500, 503; each request consumes at most one. Nothing of a faulted request is stored.
 */
public final class DatadogFaults {

    /** A counted fault, as the handler consumes it. */
    enum Fault { RESET, TIMEOUT, TOO_MANY_REQUESTS, INTERNAL_ERROR, UNAVAILABLE }

    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger timeouts = new AtomicInteger();
    private final AtomicInteger tooManyRequests = new AtomicInteger();
    private final AtomicInteger internalErrors = new AtomicInteger();
    private final AtomicInteger unavailable = new AtomicInteger();
    private volatile long retryAfterSeconds = -1;
    private volatile long outageEndsNanos;
    private volatile boolean outage;
    private final AtomicLong outageRequests = new AtomicLong();
    private final Set<String> rejectedMarkers = ConcurrentHashMap.newKeySet();
    private final Set<String> disabledKeys = ConcurrentHashMap.newKeySet();
    private volatile Duration responseDelay = Duration.ZERO;

    /** The next {@code n} requests: the connection is closed without a response. */
    public void resetConnections(int n) {
        resets.set(n);
    }

    /** The next {@code n} requests: 408 Request Timeout. */
    public void requestTimeouts(int n) {
        timeouts.set(n);
    }

    /** The next {@code n} requests: 429 Too Many Requests without {@code Retry-After} (none is documented). */
    public void tooManyRequests(int n) {
        retryAfterSeconds = -1;
        tooManyRequests.set(n);
    }

    /** The next {@code n} requests: 429 with {@code Retry-After: <seconds>} (rounded up to whole seconds). */
    public void tooManyRequests(int n, Duration retryAfter) {
        long millis = retryAfter.toMillis();
        retryAfterSeconds = (millis + 999) / 1000;
        tooManyRequests.set(n);
    }

    /** The next {@code n} requests: 500 Internal Server Error. */
    public void internalErrors(int n) {
        internalErrors.set(n);
    }

    /** The next {@code n} requests: 503 Service Unavailable. */
    public void unavailable(int n) {
        unavailable.set(n);
    }

    /**
     * An outage: for {@code duration} from now every request, whatever its key, is answered 503. Restarts the
     * count of {@link #requestsDuringOutage()}.
     */
    public void failFor(Duration duration) {
        outageRequests.set(0);
        outageEndsNanos = System.nanoTime() + duration.toNanos();
        outage = true;
    }

    /** Ends an outage early. */
    public void endOutage() {
        outage = false;
    }

    /** Requests answered 503 by the latest {@link #failFor} outage. */
    public long requestsDuringOutage() {
        return outageRequests.get();
    }

    /**
     * Any request with a log whose message contains {@code marker} is answered 400 and nothing of it is
     * stored, so a client must split its batch to isolate the bad log. Lasts until {@link #clear()}.
     */
    public void rejectMessagesContaining(String marker) {
        rejectedMarkers.add(Objects.requireNonNull(marker));
    }

    /** Requests with {@code key} get 403 until it is enabled again (a revoked key). */
    public void disableKey(String key) {
        disabledKeys.add(Objects.requireNonNull(key));
    }

    public void enableKey(String key) {
        disabledKeys.remove(key);
    }

    /** Every request waits this long before it is handled. */
    public void responseDelay(Duration delay) {
        responseDelay = Objects.requireNonNull(delay);
    }

    /** Back to a healthy intake: no counted faults, outage, rejections, disabled keys or delay. */
    public void clear() {
        for (AtomicInteger counter : new AtomicInteger[] {resets, timeouts, tooManyRequests, internalErrors,
                unavailable}) {
            counter.set(0);
        }
        retryAfterSeconds = -1;
        outage = false;
        rejectedMarkers.clear();
        disabledKeys.clear();
        responseDelay = Duration.ZERO;
    }

    /** The counted fault this request consumes, or null. */
    Fault take() {
        if (take(resets)) {
            return Fault.RESET;
        }
        if (take(timeouts)) {
            return Fault.TIMEOUT;
        }
        if (take(tooManyRequests)) {
            return Fault.TOO_MANY_REQUESTS;
        }
        if (take(internalErrors)) {
            return Fault.INTERNAL_ERROR;
        }
        return take(unavailable) ? Fault.UNAVAILABLE : null;
    }

    /** Whether an outage is on now; counts the request when it is. */
    boolean takeOutage() {
        if (!outage || System.nanoTime() - outageEndsNanos >= 0) {
            return false;
        }
        outageRequests.incrementAndGet();
        return true;
    }

    /** The {@code Retry-After} seconds of scripted 429s; negative for none. */
    long retryAfterSeconds() {
        return retryAfterSeconds;
    }

    boolean rejects(String message) {
        for (String marker : rejectedMarkers) {
            if (message.contains(marker)) {
                return true;
            }
        }
        return false;
    }

    boolean hasRejections() {
        return !rejectedMarkers.isEmpty();
    }

    boolean isDisabled(String key) {
        return disabledKeys.contains(key);
    }

    Duration responseDelay() {
        return responseDelay;
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
