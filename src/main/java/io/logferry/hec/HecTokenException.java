package io.logferry.hec;

import io.logferry.sink.SinkAuthenticationException;

/** The collector refused the token or the sink's configuration; lines wait until an operator fixes it. */
public final class HecTokenException extends SinkAuthenticationException {

    public HecTokenException(String message) {
        super(message);
    }
}
