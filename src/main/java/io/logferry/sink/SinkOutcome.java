package io.logferry.sink;

/**
 * What a receiver said, as a value every sink's response classification produces (DESIGN: "a sink's outcome is
 * a value"). Two kinds:
 * <ul>
 * <li>{@link Final} settles a whole batch: a sink hands exactly one to {@link SinkResult#done} and {@link Sink}
 * turns it into the exchange's state, so redelivery, dead letters and offsets are decided in one place for every
 * sink.</li>
 * <li>{@link Interim} is about one request inside a batch and is the sink's own business: it waits for the ack,
 * dead-letters the one event and resends the rest, or splits the request. A batch never ends on one.</li>
 * </ul>
 */
public sealed interface SinkOutcome {

    /** An outcome that settles the batch. */
    sealed interface Final extends SinkOutcome {
    }

    /** An outcome about one request that the sink acts on before the batch can settle. */
    sealed interface Interim extends SinkOutcome {
    }

    /** Stored by the receiver (or durably dead-lettered line by line): the lines are delivered, offsets move. */
    record Delivered() implements Final {
    }

    /** A passing problem (busy, overloaded, network, a database error): send the same lines again later. */
    record Retry(String reason) implements Final {
    }

    /** The receiver refused our credentials: the lines wait (retried, never dead-lettered), readiness is DOWN. */
    record Unauthorized(String reason) implements Final {
    }

    /** The lines can never be stored as they are: the whole batch goes to the dead-letter store. */
    record RejectAll(String reason) implements Final {
    }

    /** The sink stopped before the receiver confirmed: not retried, not a dead letter, read again at the next start. */
    record Stopped(String reason) implements Final {
    }

    /** Accepted, but delivered only when the receiver confirms acknowledgement {@code ackId}. */
    record AwaitingAck(long ackId) implements Interim {
    }

    /** The event at {@code index} of the request can never be stored: dead-letter it, resend the others. */
    record RejectEvent(int index, String reason) implements Interim {
    }

    /** The request is larger than the receiver takes: split it and send the halves. */
    record TooLarge(String reason) implements Interim {
    }

    /** The exception that carries {@code outcome} to the route's error handler; null for {@link Delivered}. */
    static RuntimeException asException(Final outcome) {
        if (outcome instanceof Retry r) {
            return new SinkRetryableException(r.reason());
        } else if (outcome instanceof Unauthorized u) {
            return new SinkAuthenticationException(u.reason());
        } else if (outcome instanceof RejectAll r) {
            return new SinkRejectedException(r.reason());
        } else if (outcome instanceof Stopped s) {
            return new SinkStoppedException(s.reason());
        }
        return null;
    }
}
