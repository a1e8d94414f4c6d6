package io.logferry.testsupport.datadog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** What the fake intake was sent and what it answered, for requests to {@code /api/v2/logs}. */
final class IntakeTraffic {

    /** The status recorded for a connection closed without a response. */
    static final int NO_RESPONSE = 0;

    private final boolean retain;
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytes = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final List<DatadogRequest> answered = new ArrayList<>();
    private volatile DatadogRequest last;

    /** @param retain keep every request (else only the last one) */
    IntakeTraffic(boolean retain) {
        this.retain = retain;
    }

    void arrived() {
        requests.increment();
    }

    void answered(DatadogRequest request) {
        bytes.add(request.bodyBytes());
        byStatus.computeIfAbsent(request.status(), k -> new LongAdder()).increment();
        last = request;
        if (retain) {
            synchronized (answered) {
                answered.add(request);
            }
        }
    }

    long requests() {
        return requests.sum();
    }

    long bytes() {
        return bytes.sum();
    }

    Map<Integer, Long> byStatus() {
        Map<Integer, Long> copy = new TreeMap<>();
        byStatus.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    DatadogRequest last() {
        return last;
    }

    List<DatadogRequest> all() {
        if (!retain) {
            throw new IllegalStateException("this server keeps only the last request (retainLogs(false))");
        }
        synchronized (answered) {
            return List.copyOf(answered);
        }
    }

    void clear() {
        requests.reset();
        bytes.reset();
        byStatus.clear();
        last = null;
        synchronized (answered) {
            answered.clear();
        }
    }
}
