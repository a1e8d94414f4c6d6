package io.logferry.sink.syslog;

import io.logferry.rfc5425.AckProtocol;
import io.logferry.tls.ReloadingSslContext;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;

/**
 * One persistent connection to a syslog receiver and the batches on it. Batches are written in order; each
 * stays here until the receiver confirmed it: by an ack (logferry listener) or, towards a plain RFC 5425
 * receiver, once the resend window has moved past it. When the connection drops, every unconfirmed batch is
 * written again, in order, on the next connection (reconnecting with exponential backoff), so nothing is lost
 * and a logferry listener drops the repeats by their origin.
 *
 * <p>Thread model: all state lives on the connection's single event-loop thread; {@link #submit} and
 * {@link #stop} hand work to it. Nothing blocks there.
 */
final class ForwardingChannel {

    private static final Logger LOG = LoggerFactory.getLogger(ForwardingChannel.class);
    private static final long TICK_MILLIS = 100;

    private final ForwarderConfiguration configuration;
    private final String route;
    private final ForwarderState state;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private final Backoff backoff;
    /** How long a connection must last before its end resets the reconnect backoff. */
    private static final long STABLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private long connectedNanos;
    private final ArrayDeque<Outgoing> queued = new ArrayDeque<>();
    private final ArrayDeque<Outgoing> written = new ArrayDeque<>();
    private Channel channel;
    private boolean acking;
    private boolean stopped;
    private long generation;
    private long framesWritten;
    private long bytesWritten;
    private long bytesFlushed;
    private long lastProgressNanos;
    private ScheduledFuture<?> tick;

    ForwardingChannel(ForwarderConfiguration configuration, ReloadingSslContext sslContext, String route,
                      ForwarderState state) {
        this.configuration = configuration;
        this.route = route;
        this.state = state;
        this.backoff = new Backoff(configuration.reconnectDelay(), configuration.maxReconnectDelay());
        this.group = new NioEventLoopGroup(1, new DefaultThreadFactory("logferry-syslog-" + route, true));
        this.bootstrap = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) configuration.connectTimeout())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_KEEPALIVE, true)
                .handler(new ForwarderPipeline(configuration, sslContext, this::acked));
    }

    void start() {
        group.execute(() -> {
            tick = group.next().scheduleAtFixedRate(this::tick, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
            connect();
        });
    }

    /** Queues a batch; it is written as soon as a connection is up. */
    void submit(Outgoing outgoing) {
        group.execute(() -> {
            if (stopped) {
                outgoing.abandon("the syslog forwarder of route " + route + " is stopped");
                return;
            }
            queued.add(outgoing);
            writeQueued();
        });
    }

    /** Closes the connection; batches not yet confirmed fail (their lines are read again at the next start). */
    void stop() {
        group.execute(() -> {
            stopped = true;
            if (tick != null) {
                tick.cancel(false);
            }
            String why = "stopped before the receiver confirmed the lines; they are sent again at the next start";
            written.forEach(o -> o.abandon(why));
            queued.forEach(o -> o.abandon(why));
            written.clear();
            queued.clear();
            if (channel != null) {
                channel.close();
            }
        });
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private void connect() {
        if (stopped) {
            return;
        }
        state.connecting();
        ChannelFuture connecting = bootstrap.connect(configuration.host(), configuration.port());
        connecting.addListener(f -> {
            if (!f.isSuccess()) {
                retryLater(f.cause());
                return;
            }
            Channel ch = connecting.channel();
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) {
                connected(ch, null);
            } else {
                ssl.handshakeFuture().addListener(h -> {
                    if (h.isSuccess()) {
                        connected(ch, ssl);
                    } else {
                        ch.close();
                        retryLater(h.cause());
                    }
                });
            }
        });
    }

    private void connected(Channel ch, SslHandler ssl) {
        if (stopped) {
            ch.close();
            return;
        }
        acking = AckProtocol.negotiated(ssl);
        if (!acking && configuration.acks() == ForwarderConfiguration.Acks.REQUIRED) {
            ch.close();
            retryLater(new IllegalStateException("the receiver does not speak the logferry ack protocol (acks="
                    + "required); set acks=auto to accept a plain RFC 5425 receiver"));
            return;
        }
        channel = ch;
        generation++;
        framesWritten = 0;
        bytesWritten = 0;
        bytesFlushed = 0;
        lastProgressNanos = System.nanoTime();
        connectedNanos = lastProgressNanos;
        state.connected(acking);
        LOG.info("Route {}: connected to {}:{} ({})", route, configuration.host(), configuration.port(),
                acking ? "logferry acks" : "plain RFC 5425, resend window " + configuration.resendWindowBytes()
                        + " bytes");
        long thisGeneration = generation;
        ch.closeFuture().addListener(f -> disconnected(ch, thisGeneration));
        writeQueued();
    }

    private void disconnected(Channel ch, long closedGeneration) {
        if (closedGeneration != generation || channel != ch) {
            return;
        }
        channel = null;
        Throwable cause = ch.attr(ForwarderPipeline.CLOSE_CAUSE).get();
        if (System.nanoTime() - connectedNanos >= STABLE_NANOS) {
            // only a connection that lasted resets the backoff: a receiver that refuses us right after the
            // handshake (TLS 1.3 verifies the client's certificate after the client is done) must not be hammered
            backoff.reset();
        }
        int resent = requeueWritten();
        state.resent(resent);
        if (stopped) {
            return;
        }
        if (cause == null && resent == 0 && queued.isEmpty()) {
            // an idle connection the receiver closed (its idle timeout): nothing is at stake
            LOG.info("Route {}: {}:{} closed the idle connection; reconnecting", route, configuration.host(),
                    configuration.port());
            state.disconnected("the receiver closed the idle connection");
            group.schedule(this::connect, backoff.next(), TimeUnit.MILLISECONDS);
            return;
        }
        retryLater(cause != null ? cause : new IllegalStateException(closedWithoutReason()));
        if (resent > 0) {
            LOG.warn("Route {}: {} frame(s) were not confirmed and will be sent again", route, resent);
        }
    }

    /**
     * Why the receiver may have closed the connection. Closed within a second of a TLS handshake, it most likely
     * refused this forwarder's certificate: TLS 1.3 checks the client's certificate after the client is done, and
     * the JDK's listener closes without an alert the client could read.
     */
    private String closedWithoutReason() {
        if (!configuration.useTls() || System.nanoTime() - connectedNanos > TimeUnit.SECONDS.toNanos(1)) {
            return "the receiver closed the connection";
        }
        return "the receiver closed the connection right after the TLS handshake: it probably refused this"
                + " forwarder's certificate (its log says why); check that it trusts the CA that issued "
                + configuration.tls().describeIdentity() + " and that the certificate is valid and meant for a client";
    }

    /** Puts the unconfirmed written batches back in front of the queue, in order; returns their frames. */
    private int requeueWritten() {
        int frames = 0;
        for (Iterator<Outgoing> it = written.descendingIterator(); it.hasNext(); ) {
            Outgoing o = it.next();
            frames += o.frameCount();
            o.flushed = false;
            queued.addFirst(o);
        }
        written.clear();
        return frames;
    }

    private void retryLater(Throwable cause) {
        if (stopped) {
            return;
        }
        long delay = backoff.next();
        String why = describe(cause);
        state.disconnected(why);
        LOG.warn("Route {}: no connection to {}:{} ({}); retrying in {} ms", route, configuration.host(),
                configuration.port(), why, delay);
        group.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    private void writeQueued() {
        if (channel == null || queued.isEmpty()) {
            return;
        }
        if (written.isEmpty()) {
            lastProgressNanos = System.nanoTime(); // the ack timeout runs from the first unconfirmed write
        }
        while (!queued.isEmpty()) {
            Outgoing o = queued.poll();
            framesWritten += o.frameCount();
            bytesWritten += o.bytes();
            o.endFrame = framesWritten;
            o.endByte = bytesWritten;
            o.generation = generation;
            written.add(o);
            long thisGeneration = generation;
            channel.write(o.forWrite()).addListener(f -> {
                if (f.isSuccess() && o.generation == thisGeneration && generation == thisGeneration) {
                    flushed(o);
                }
            });
        }
        channel.flush();
    }

    private void flushed(Outgoing o) {
        o.flushed = true;
        o.flushedNanos = System.nanoTime();
        bytesFlushed = o.endByte;
        if (!acking) {
            confirmByWindow();
        }
    }

    private void acked(Channel from, long frames) {
        if (from != channel) {
            return; // a late ack of a connection already given up: its frames are being written again
        }
        lastProgressNanos = System.nanoTime();
        while (!written.isEmpty() && written.peek().endFrame <= frames) {
            written.poll().confirm();
        }
    }

    /** Without acks: batches the window has moved past, or that stayed written long enough, are confirmed. */
    private void confirmByWindow() {
        long now = System.nanoTime();
        long idle = TimeUnit.MILLISECONDS.toNanos(configuration.resendWindowIdle());
        while (!written.isEmpty()) {
            Outgoing o = written.peek();
            boolean pastWindow = bytesFlushed - o.endByte >= configuration.resendWindowBytes() && o.flushed;
            boolean old = o.flushed && now - o.flushedNanos >= idle;
            if (!pastWindow && !old) {
                return;
            }
            written.poll().confirm();
        }
    }

    private void tick() {
        if (channel == null) {
            return;
        }
        if (!acking) {
            confirmByWindow();
        } else if (!written.isEmpty() && System.nanoTime() - lastProgressNanos
                > TimeUnit.MILLISECONDS.toNanos(configuration.ackTimeout())) {
            LOG.warn("Route {}: no ack from {}:{} for {} ms with {} batch(es) waiting; reconnecting", route,
                    configuration.host(), configuration.port(), configuration.ackTimeout(), written.size());
            channel.attr(ForwarderPipeline.CLOSE_CAUSE).setIfAbsent(
                    new IllegalStateException("no ack for " + configuration.ackTimeout() + " ms"));
            channel.close();
        }
        state.backlog(queued.size() + written.size());
    }

    private String describe(Throwable cause) {
        String alert = CertificateRefusal.alert(cause);
        if (alert != null) {
            return "the receiver refused this forwarder's certificate (TLS alert " + alert + "): check that the"
                    + " listener trusts the CA that issued " + configuration.tls().describeIdentity()
                    + " and that the certificate is valid and meant for a client";
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage();
        if (root instanceof IllegalStateException && message != null) {
            return message; // one of this channel's own sentences
        }
        return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }
}
