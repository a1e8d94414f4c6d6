package io.logferry.listener;

import io.logferry.rfc5425.AckProtocol;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

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
    private final SourceLimits limits;
    private final AtomicLong pendingBytes = new AtomicLong();
    /** Why reading is paused; read only while empty. Event loop only. */
    private final EnumSet<Hold> holds = EnumSet.noneOf(Hold.class);
    private final Consumer<Hold> paused;
    private long framesReceived;
    private volatile boolean failed;

    /** Why a connection is not read: too much waits to be stored, its source is over its rate or its disk quota. */
    enum Hold {
        BACKLOG, RATE, QUOTA;

        String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /* visible for testing */ ListenerConnection(Channel channel, String source, boolean acking, long maxPendingBytes) {
        this(channel, source, acking, maxPendingBytes, SourceLimits.NONE, hold -> { });
    }

    ListenerConnection(Channel channel, String source, boolean acking, long maxPendingBytes, SourceLimits limits,
                       Consumer<Hold> paused) {
        this.channel = channel;
        this.source = source;
        this.acking = acking;
        this.maxPendingBytes = maxPendingBytes;
        this.limits = limits;
        this.paused = paused;
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

    /**
     * On the event loop: numbers the frames of one read, and pauses reading while too much is pending or the
     * source is over its rate or disk quota (what was read is kept: nothing is dropped).
     */
    ReceivedFrames received(List<byte[]> frames, int bytes) {
        framesReceived += frames.size();
        if (pendingBytes.addAndGet(bytes) > maxPendingBytes) {
            hold(Hold.BACKLOG);
        }
        long now = System.nanoTime();
        long pause = limits.rateLimited() ? limits.take(source, frames.size(), bytes, now) : 0;
        if (pause > 0) {
            hold(Hold.RATE);
            channel.eventLoop().schedule(() -> release(Hold.RATE), pause, TimeUnit.NANOSECONDS);
        }
        if (limits.hasQuota() && limits.overQuota(source, now)) {
            hold(Hold.QUOTA);
            channel.eventLoop().schedule(this::recheckQuota, 1, TimeUnit.SECONDS);
        }
        return new ReceivedFrames(this, frames, bytes, framesReceived);
    }

    private void recheckQuota() {
        if (limits.overQuota(source, System.nanoTime())) {
            channel.eventLoop().schedule(this::recheckQuota, 1, TimeUnit.SECONDS);
        } else {
            release(Hold.QUOTA);
        }
    }

    private void hold(Hold why) {
        if (holds.add(why)) {
            paused.accept(why);
        }
        channel.config().setAutoRead(false);
    }

    private void release(Hold why) {
        if (holds.remove(why) && holds.isEmpty() && channel.isActive()) {
            channel.config().setAutoRead(true);
        }
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
        if (pending <= maxPendingBytes / 2) {
            channel.eventLoop().execute(() -> release(Hold.BACKLOG));
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
