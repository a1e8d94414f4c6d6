package io.logferry.sink.kafka;

import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.InvalidProducerEpochException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;

/** What a Kafka client failure means to the sink. */
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

    /** The cluster refused our credentials or our rights: waiting helps only once an operator acts. */
    static boolean refusedCredentials(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof AuthenticationException || t instanceof AuthorizationException
                    || t instanceof TransactionalIdAuthorizationException) {
                return true;
            }
        }
        return false;
    }

    /** The failure in one line, with its cause when the client wraps it. */
    static String describe(Throwable e) {
        String text = e.getClass().getSimpleName() + ": " + e.getMessage();
        Throwable cause = e.getCause();
        return cause == null || cause == e ? text : text + " (" + cause.getClass().getSimpleName() + ": "
                + cause.getMessage() + ")";
    }
}
