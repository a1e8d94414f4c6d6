package io.logferry.tls;

/** A certificate, key or keystore cannot be used or written; the message names the file and what to do. */
public final class TlsSetupException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public TlsSetupException(String message) {
        super(message);
    }

    public TlsSetupException(String message, Throwable cause) {
        super(message, cause);
    }
}
