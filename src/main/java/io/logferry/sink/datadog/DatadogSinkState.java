package io.logferry.sink.datadog;

import java.util.concurrent.atomic.AtomicLong;

/** What a Datadog sink's readiness reports: its counters and the problem of its last failed request. */
final class DatadogSinkState {

    final AtomicLong requests = new AtomicLong();
    final AtomicLong logsDelivered = new AtomicLong();
    final AtomicLong logsDeadLettered = new AtomicLong();
    final AtomicLong splits = new AtomicLong();
    private volatile String problem;

    void delivered(int logs) {
        logsDelivered.addAndGet(logs);
        problem = null;
    }

    void failed(String reason) {
        problem = reason;
    }

    /** Why the last request failed, or null once one succeeded again. */
    String problem() {
        return problem;
    }
}
