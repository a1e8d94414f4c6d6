package io.logferry.sink.store;

/** The event store cannot be opened or written; the message names the database and what to do. */
public final class EventStoreException extends RuntimeException {

    public EventStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
