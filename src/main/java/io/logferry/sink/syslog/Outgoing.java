package io.logferry.sink.syslog;

import io.logferry.sink.SinkOutcome;
import io.logferry.sink.SinkResult;
import io.netty.buffer.ByteBuf;

/**
 * One batch on its way to the receiver: its frames, already encoded, kept until the receiver confirmed them so
 * they can be written again after a reconnect. Confirmation or abandonment completes the batch's exchange, and
 * with it the offsets. Used on the forwarder's event loop only, after {@link ForwardingChannel#submit}.
 */
final class Outgoing {

    private final ByteBuf frames;
    private final int frameCount;
    private final SinkResult result;
    /** Position after this batch on the connection it was last written to: frames and bytes. */
    long endFrame;
    long endByte;
    /** Generation of the connection it was last written to; a write listener of an older one is stale. */
    long generation;
    boolean flushed;
    long flushedNanos;

    Outgoing(ByteBuf frames, int frameCount, SinkResult result) {
        this.frames = frames;
        this.frameCount = frameCount;
        this.result = result;
    }

    int frameCount() {
        return frameCount;
    }

    int bytes() {
        return frames.readableBytes();
    }

    /** A view to write; the batch keeps its own reference for a resend. */
    ByteBuf forWrite() {
        return frames.retainedDuplicate();
    }

    void confirm() {
        frames.release();
        result.done(new SinkOutcome.Delivered());
    }

    /** The forwarder stopped first: not retried, not a dead letter; the lines are read again at the next start. */
    void abandon(String why) {
        frames.release();
        result.done(new SinkOutcome.Stopped(why));
    }
}
