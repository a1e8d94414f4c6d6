package io.logferry.sink.kafka;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The file offsets the offsets topic held when the sink last connected: a file's lines below its offset are in
 * Kafka already. After a start while Kafka did not answer (the tail began from the local offsets, which may lag
 * behind) and after a failed transaction (which may have committed all the same), batches skip those lines rather
 * than send them twice. An entry goes once a transaction of ours has moved that file past it, so the set empties
 * as the sink runs. Thread-safe.
 */
final class CommittedOffsets {

    private final Map<String, Long> byKey = new ConcurrentHashMap<>();

    /** What a fresh read of the offsets topic returned, by offset key. */
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

    /** The offsets as read, by offset key. */
    Map<String, Long> all() {
        return Map.copyOf(byKey);
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }
}
