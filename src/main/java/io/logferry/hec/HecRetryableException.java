package io.logferry.hec;

import io.logferry.sink.SinkRetryableException;

/** The collector was busy, overloaded, unreachable or did not acknowledge in time: the lines are sent again. */
public final class HecRetryableException extends SinkRetryableException {

    public HecRetryableException(String message) {
        super(message);
    }
}
