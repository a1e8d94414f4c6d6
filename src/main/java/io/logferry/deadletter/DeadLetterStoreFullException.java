package io.logferry.deadletter;

/**
 * The dead-letter store holds as many records as it may ({@code logferry.deadletters.when-full=wait}): the
 * lines stay undelivered, their route makes no progress and retries until there is room.
 */
public final class DeadLetterStoreFullException extends DeadLetterException {

    public DeadLetterStoreFullException(String message) {
        super(message, null);
    }
}
