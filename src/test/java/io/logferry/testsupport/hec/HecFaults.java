package io.logferry.testsupport.hec;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Failures a test scripts into the fake HEC, at any time and from any thread. Counted faults apply to the
 * next N data requests ({@code /event} and {@code /raw}) that pass the token and channel checks, in this
 * order: connection reset, busy, 429, 500; each request consumes at most one of them.
 */
public final class HecFaults {

    private final AtomicInteger resets = new AtomicInteger();
    private final AtomicInteger busy = new AtomicInteger();
    private final AtomicInteger tooManyRequests = new AtomicInteger();
    private final AtomicInteger internalErrors = new AtomicInteger();
    private final AtomicInteger lostBeforeIndexing = new AtomicInteger();
    private final AtomicInteger acksLostAfterIndexing = new AtomicInteger();
    private final AtomicInteger invalidEventAt = new AtomicInteger(-1);
    private volatile boolean invalidEventKeepsPrefix = true;
    private volatile boolean acksNeverTrue;
    private final Set<String> disabledTokens = ConcurrentHashMap.newKeySet();
    private volatile Duration responseDelay = Duration.ZERO;
    private volatile Duration indexingDelay = Duration.ZERO;
    private volatile boolean unhealthy;

    /** The next {@code n} data requests: the connection is closed without a response, nothing is indexed. */
    public void resetConnections(int n) {
        resets.set(n);
    }

    /** The next {@code n} data requests: 503 code 9 "Server is busy", nothing indexed. */
    public void busy(int n) {
        busy.set(n);
    }

    /** The next {@code n} data requests: 429 Too Many Requests, nothing indexed. */
    public void tooManyRequests(int n) {
        tooManyRequests.set(n);
    }

    /** The next {@code n} data requests: 500 code 8 "Internal server error", nothing indexed. */
    public void internalErrors(int n) {
        internalErrors.set(n);
    }

    /**
     * The next {@code n} successful data requests are answered 200 (with an ackId when ack is on) and then
     * lost before indexing: their events never appear and their ackIds never become true.
     */
    public void loseBeforeIndexing(int n) {
        lostBeforeIndexing.set(n);
    }

    /**
     * The next {@code n} successful data requests are indexed, but their ackIds never become true: the
     * acknowledgement is lost, so a sink that resends after its ack timeout duplicates them.
     */
    public void loseAcksAfterIndexing(int n) {
        acksLostAfterIndexing.set(n);
    }

    /**
     * The next {@code /event} request is answered 400 code 6 "Invalid data format" with
     * {@code invalid-event-number} k, as if its event k were malformed: events 0..k-1 are indexed, the rest
     * not. A request with k events or fewer consumes the fault and succeeds.
     */
    public void invalidEventInNextRequest(int k) {
        invalidEventInNextRequest(k, true);
    }

    /**
     * As {@link #invalidEventInNextRequest(int)}, and {@code keepPrefix} false: nothing of the request is indexed,
     * events before k included. Splunk documents neither behaviour, and the answer (no ackId) cannot tell them
     * apart, so a sink must be right under both.
     */
    public void invalidEventInNextRequest(int k, boolean keepPrefix) {
        if (k < 0) {
            throw new IllegalArgumentException("event position must be >= 0: " + k);
        }
        invalidEventKeepsPrefix = keepPrefix;
        invalidEventAt.set(k);
    }

    /** While true, every data request is indexed but its ackId never turns true (a stuck indexer pipeline). */
    public void acksNeverTrue(boolean never) {
        acksNeverTrue = never;
    }

    /** Requests with {@code token} get 403 code 1 "Token disabled" until it is enabled again. */
    public void disableToken(String token) {
        disabledTokens.add(Objects.requireNonNull(token));
    }

    public void enableToken(String token) {
        disabledTokens.remove(token);
    }

    /** Every request (health included) waits this long before it is answered. */
    public void responseDelay(Duration delay) {
        responseDelay = Objects.requireNonNull(delay);
    }

    /** Events become visible, and their ackIds true, this long after their request (default: at once). */
    public void indexingDelay(Duration delay) {
        indexingDelay = Objects.requireNonNull(delay);
    }

    /** The health endpoint answers 503 code 18 while {@code unhealthy} is true. */
    public void unhealthy(boolean unhealthy) {
        this.unhealthy = unhealthy;
    }

    /** Back to a healthy server without faults, delays or disabled tokens. */
    public void clear() {
        for (AtomicInteger counter : new AtomicInteger[] {resets, busy, tooManyRequests, internalErrors,
                lostBeforeIndexing, acksLostAfterIndexing}) {
            counter.set(0);
        }
        invalidEventAt.set(-1);
        invalidEventKeepsPrefix = true;
        acksNeverTrue = false;
        disabledTokens.clear();
        responseDelay = Duration.ZERO;
        indexingDelay = Duration.ZERO;
        unhealthy = false;
    }

    boolean takeReset() {
        return take(resets);
    }

    boolean takeBusy() {
        return take(busy);
    }

    boolean takeTooManyRequests() {
        return take(tooManyRequests);
    }

    boolean takeInternalError() {
        return take(internalErrors);
    }

    boolean takeLoseBeforeIndexing() {
        return take(lostBeforeIndexing);
    }

    boolean takeLoseAckAfterIndexing() {
        return take(acksLostAfterIndexing);
    }

    /** The armed invalid-event position, disarming it; -1 when none is armed. */
    int takeInvalidEvent() {
        return invalidEventAt.getAndSet(-1);
    }

    boolean invalidEventKeepsPrefix() {
        return invalidEventKeepsPrefix;
    }

    boolean acksNeverTrue() {
        return acksNeverTrue;
    }

    boolean isDisabled(String token) {
        return disabledTokens.contains(token);
    }

    Duration responseDelay() {
        return responseDelay;
    }

    Duration indexingDelay() {
        return indexingDelay;
    }

    boolean isUnhealthy() {
        return unhealthy;
    }

    private static boolean take(AtomicInteger counter) {
        return counter.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0;
    }
}
