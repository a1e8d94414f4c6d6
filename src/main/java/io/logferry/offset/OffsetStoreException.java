package io.logferry.offset;

/** The offsets database cannot be used; the message says which file and what to do about it. */
public final class OffsetStoreException extends RuntimeException {

    public OffsetStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
