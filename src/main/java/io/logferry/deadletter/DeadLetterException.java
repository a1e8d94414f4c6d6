package io.logferry.deadletter;

/** The dead-letter store cannot be opened or written; the lines it was given are not delivered. */
public class DeadLetterException extends RuntimeException {

    public DeadLetterException(String message, Throwable cause) {
        super(message, cause);
    }
}
