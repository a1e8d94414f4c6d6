package io.logferry.sink.kafka;

import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;

/** Whether a Kafka client failure means another instance took this sink's transactional id. */
final class KafkaFailures {

    private KafkaFailures() {
    }

    /**
     * Another producer with our transactional id took over: writing on would fight it. Kafka 4's transaction
     * protocol says so with an old epoch ({@link InvalidProducerEpochException}), older brokers with
     * {@link ProducerFencedException}. A transaction that outlived transaction.timeout.ms ends the same way, but the
     * sink gives up on a transaction (and closes its producer) well before that.
     */
    static boolean fenced(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof ProducerFencedException || t instanceof InvalidProducerEpochException) {
                return true;
            }
        }
        return false;
    }
}
