package io.logferry.listener;

import io.logferry.rfc5425.AckProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One accepted client connection: its source identity (the certificate's CN: never anything the client
 * writes), whether it speaks the ack protocol, and how much of it waits to be stored. When too much waits, the
 * listener stops reading this connection (TCP pushes back on the client) until the store caught up.
 */
public final class ListenerConnection {

    static final AttributeKey<ListenerConnection> KEY = AttributeKey.valueOf("logferryListenerConnection");

    private static final AtomicLong CONNECTIONS = new AtomicLong();
    /** Distinguishes connection ids across listener restarts. */
    private static final String RUN = Long.toString(System.currentTimeMillis(), 36);

    private final String id = "conn-" + RUN + "-" + CONNECTIONS.incrementAndGet();
    private final Channel channel;
    private final String source;
    private final boolean acking;
    private final long maxPendingBytes;
    private final AtomicLong pendingBytes = new AtomicLong();
    private long framesReceived;
    private volatile boolean failed;

    ListenerConnection(Channel channel, String source, boolean acking, long maxPendingBytes) {
        this.channel = channel;
        this.source = source;
        this.acking = acking;
        this.maxPendingBytes = maxPendingBytes;
    }

    /** The client's certificate CN: the only provenance the listener trusts. */
    public String source() {
        return source;
    }

    /** Unique across connections and runs: the origin key of frames that carry no origin element. */
    public String id() {
        return id;
    }

    public boolean isAcking() {
        return acking;
    }

    /** On the event loop: numbers the frames of one read and pauses reading when too much is pending. */
    ReceivedFrames received(List<byte[]> frames, int bytes) {
        framesReceived += frames.size();
        if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
            channel.config().setAutoRead(false);
        }
        return new ReceivedFrames(this, frames, bytes, framesReceived);
    }

    /**
     * The batch is stored (or was a repeat of stored frames): acknowledges up to {@code endFrame} when the
     * client speaks the ack protocol, and resumes reading once the backlog halved. Any thread.
     */
    public void stored(ReceivedFrames batch, boolean sendAck) {
        long pending = pendingBytes.addAndGet(-batch.bytes());
        if (sendAck && acking) {
            ByteBuf ack = channel.alloc().buffer(32);
            AckProtocol.writeAck(batch.endFrame(), ack);
            channel.writeAndFlush(ack);
        }
        if (pending <= maxPendingBytes / 2 && !channel.config().isAutoRead()) {
            channel.eventLoop().execute(() -> channel.config().setAutoRead(true));
        }
    }

    /**
     * Storing failed: the client must send these frames again, so the connection is closed unacknowledged and
     * nothing it sent after them is stored either.
     */
    public void failed() {
        failed = true;
        channel.close();
    }

    public boolean hasFailed() {
        return failed;
    }

    @Override
    public String toString() {
        return source + "@" + channel.remoteAddress();
    }
}
