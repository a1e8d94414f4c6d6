package io.logferry.sink.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * After a start while the cluster did not answer, the files whose offset in Kafka was beyond the local one the
 * tail started from (a process killed between Kafka's commit and the local save): their lines below that offset
 * are in Kafka already, and batches skip them rather than send them twice. An entry goes once a transaction of
 * ours has moved that file on, so the set empties as the sink catches up. Thread-safe.
 */
final class CommittedOffsets {

    private final Map<String, Long> byKey = new ConcurrentHashMap<>();

    /** The offsets, by offset key, of the files that lag. */
    void reset(Map<String, Long> loaded) {
        byKey.clear();
        byKey.putAll(loaded);
    }

    /** The offset up to which the file {@code key} is in Kafka, or -1 when that is not known to matter. */
    long of(String key) {
        return byKey.getOrDefault(key, -1L);
    }

    /** A transaction of ours committed these files beyond what was read. */
    void passed(Collection<String> keys) {
        if (!byKey.isEmpty()) {
            keys.forEach(byKey::remove);
        }
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }
}
