package io.logferry.listener;

import io.logferry.rfc5425.FrameDecoder;

/**
 * When the frame a connection is in the middle of began, so a client that drips a frame byte by byte (never idle
 * long enough for the idle timeout) can be closed once the frame is older than {@code frameTimeout}. Updated after
 * every socket read: a read that completed a frame and left another one pending starts a new clock. Used on the
 * channel's event loop only.
 */
final class FrameDeadline {

    private final FrameDecoder decoder;
    private final long timeoutNanos;
    private boolean pending;
    private long since;
    private boolean completedThisRead;

    FrameDeadline(FrameDecoder decoder, long timeoutMillis) {
        this.decoder = decoder;
        this.timeoutNanos = timeoutMillis * 1_000_000L;
    }

    /** A frame (or several) came out of this read. */
    void frameCompleted() {
        completedThisRead = true;
    }

    /** The read is complete: start, keep or stop the clock. */
    void readComplete(long nowNanos) {
        boolean inFrame = decoder.inFrame();
        if (inFrame && (!pending || completedThisRead)) {
            since = nowNanos;
        }
        pending = inFrame;
        completedThisRead = false;
    }

    /** True once the pending frame is older than the timeout. */
    boolean overdue(long nowNanos) {
        return pending && nowNanos - since > timeoutNanos;
    }
}
