package io.logferry.sink;

/**
 * A delivery that failed for a reason that may pass: the route's redelivery policy sends the lines again,
 * and when its attempts are spent the batch fails and its lines are read again from their files. Every
 * exception a sink throws for a passing problem extends this class, so error handling needs one rule.
 */
public class SinkRetryableException extends RuntimeException {

    public SinkRetryableException(String message) {
        super(message);
    }

    public SinkRetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
