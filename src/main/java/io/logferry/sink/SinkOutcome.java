package io.logferry.sink;

/**
 * What a sink said about one request: the value every sink's response classification produces, so batching,
 * acknowledgement, dead letters and redelivery are decided once, whatever the protocol (HEC today; other
 * HTTP/JSON intakes and the syslog listener's acks later).
 */
public sealed interface SinkOutcome {

    /** Stored by the receiver; the request's lines are delivered. */
    record Delivered() implements SinkOutcome {
    }

    /** Accepted, but delivered only when the receiver confirms acknowledgement {@code ackId}. */
    record AwaitingAck(long ackId) implements SinkOutcome {
    }

    /** A passing problem (busy, overloaded, network): send the same lines again later. */
    record Retry(String reason) implements SinkOutcome {
    }

    /** The event at {@code index} of the request can never be stored: dead-letter it, resend the others. */
    record RejectEvent(int index, String reason) implements SinkOutcome {
    }

    /** The whole request can never be stored as it is: dead-letter all its lines. */
    record RejectAll(String reason) implements SinkOutcome {
    }

    /** The request is larger than the receiver takes: split it and send the halves. */
    record TooLarge(String reason) implements SinkOutcome {
    }

    /** The receiver refused our credentials: nothing is delivered until an operator fixes them. */
    record Unauthorized(String reason) implements SinkOutcome {
    }
}
