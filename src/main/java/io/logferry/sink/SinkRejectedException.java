package io.logferry.sink;

/**
 * The receiver refused the batch for good (its content, not a passing problem): the error handler writes it to
 * the dead-letter store, which counts as delivery, so its offsets move. Only a sink's {@link
 * SinkOutcome.RejectAll} makes one; an exception a sink did not expect is retried instead.
 */
public class SinkRejectedException extends RuntimeException {

    public SinkRejectedException(String message) {
        super(message);
    }
}
