package io.logferry.testsupport.hec;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Indexer acknowledgement state, per channel as Splunk keeps it: ackIds count from 0 in each channel, an id
 * is {@code true} once its request's events are indexed, and once it has been reported {@code true} Splunk
 * drops it, so later queries for it answer {@code false} ("Upon returning true, Splunk drops the ackId
 * status and all subsequent requests with the same ackId will return false", observed on Splunk 7.3.2 in
 * vectordotdev/vector rfcs/2021-10-29-9465-splunk-hec-indexer-acknowledgements.md; Splunk's "About HTTP Event
 * Collector Indexer Acknowledgment" page: status information is deleted once the client has retrieved it).
 * Unknown ids answer {@code false} too: Splunk does not tell "lost" from "pending".
 */
final class AckLedger {

    /** Due time of an ack that never becomes true. */
    static final long NEVER = Long.MAX_VALUE;

    private static final class Channel {
        final AtomicLong next = new AtomicLong();
        final Map<Long, Long> dueNanos = new ConcurrentHashMap<>();
    }

    private final Map<String, Channel> channels = new ConcurrentHashMap<>();

    /** A new ackId in {@code channel}, true from {@code dueNanos} on ({@link #NEVER}: never). */
    long register(String channel, long dueNanos) {
        Channel c = channels.computeIfAbsent(channel, k -> new Channel());
        long id = c.next.getAndIncrement();
        c.dueNanos.put(id, dueNanos);
        return id;
    }

    /** The status of each id, in the order asked; the ids reported true are forgotten. */
    Map<Long, Boolean> query(String channel, List<Long> ids, long nowNanos) {
        Channel c = channels.get(channel);
        Map<Long, Boolean> status = new LinkedHashMap<>();
        for (Long id : ids) {
            Long due = c == null ? null : c.dueNanos.get(id);
            boolean indexed = due != null && due != NEVER && due - nowNanos <= 0 && c.dueNanos.remove(id, due);
            status.put(id, indexed);
        }
        return status;
    }
}
