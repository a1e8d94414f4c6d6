package io.logferry.sink;

/**
 * The sink stopped before its receiver confirmed the batch (logferry is shutting down or the route is being
 * stopped). Not the data's fault and nothing to retry now: the batch fails, its offsets stay, and its lines are
 * read again at the next start. Never a dead letter.
 */
public class SinkStoppedException extends RuntimeException {

    public SinkStoppedException(String message) {
        super(message);
    }
}
