package io.logferry.testsupport.hec;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Counts of what the fake HEC was asked and what it answered. */
final class HecTraffic {

    /** The status recorded for a connection closed without a response. */
    static final int NO_RESPONSE = 0;

    private final LongAdder arrivals = new LongAdder();
    private final LongAdder dataRequests = new LongAdder();
    private final LongAdder ackQueries = new LongAdder();
    private final Map<Integer, LongAdder> byStatus = new ConcurrentHashMap<>();
    private final Map<Integer, LongAdder> byCode = new ConcurrentHashMap<>();

    /** Any request, counted before a scripted response delay holds it. */
    void arrived() {
        arrivals.increment();
    }

    long arrivals() {
        return arrivals.sum();
    }

    void dataRequest() {
        dataRequests.increment();
    }

    void ackQuery() {
        ackQueries.increment();
    }

    /** @param code the HEC code of the reply; negative when the reply has none */
    void answered(int httpStatus, int code) {
        byStatus.computeIfAbsent(httpStatus, k -> new LongAdder()).increment();
        if (code >= 0) {
            byCode.computeIfAbsent(code, k -> new LongAdder()).increment();
        }
    }

    long dataRequests() {
        return dataRequests.sum();
    }

    long ackQueries() {
        return ackQueries.sum();
    }

    Map<Integer, Long> byStatus() {
        return snapshot(byStatus);
    }

    Map<Integer, Long> byCode() {
        return snapshot(byCode);
    }

    void clear() {
        dataRequests.reset();
        ackQueries.reset();
        byStatus.clear();
        byCode.clear();
    }

    private static Map<Integer, Long> snapshot(Map<Integer, LongAdder> counts) {
        Map<Integer, Long> copy = new TreeMap<>();
        counts.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }
}
