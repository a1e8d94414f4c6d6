package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.redelivery.RateLimitedLog;
import io.logferry.rfc5425.AckProtocol;
import io.logferry.rfc5425.FrameDecoder;
import io.logferry.rfc5425.FramingException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLPeerUnverifiedException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Admits, identifies and, when needed, closes one client connection: a handshake slot ({@link Admission}), the
 * handshake outcome (the verified certificate's CN becomes the source), the connection limit, the idle timeout,
 * and framing violations. Each refusal is counted once under its reason and logged rate-limited; anything it
 * closes for is a log line and a meter (DESIGN invariants 7 and 8); other connections never notice.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** Source name of plaintext connections (loopback only): they carry no identity. */
    static final String UNAUTHENTICATED = "unauthenticated";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);
    /** Refusals are logged at most once per reason and route in this many ms, with a count of the rest. */
    private static final long REFUSAL_LOG_INTERVAL = 10_000;
    private static final RateLimitedLog REFUSALS = new RateLimitedLog(LOG, REFUSAL_LOG_INTERVAL);

    private enum Phase { NEW, HANDSHAKING, ADMITTED, REFUSED }

    private final ListenerConfiguration configuration;
    private final Admission admission;
    private final SourceLimits limits;
    private final ListenerMeters meters;
    private final String route;
    private Phase phase = Phase.NEW;
    private InetAddress address;
    private boolean released;
    private FrameDeadline deadline;
    private ScheduledFuture<?> deadlineCheck;

    ConnectionGuard(ListenerConfiguration configuration, Admission admission, SourceLimits limits,
                    ListenerMeters meters, String route) {
        this.configuration = configuration;
        this.admission = admission;
        this.limits = limits;
        this.meters = meters;
        this.route = route;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        address = ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress();
        if (ctx.pipeline().get(SslHandler.class) == null) {
            if (admitConnection(ctx)) {
                admit(ctx, UNAUTHENTICATED, false);
                ctx.fireChannelActive();
            }
            return;
        }
        String refusal = admission.startHandshake(address);
        if (refusal != null) {
            refuse(ctx, refusal, admission.handshakes() + " connections are in the TLS handshake (at most "
                    + configuration.maxHandshakes() + ", " + configuration.maxHandshakesPerAddress()
                    + " per address)");
            return;
        }
        phase = Phase.HANDSHAKING;
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        // the phase stays: a decoder reports a frame cut short by this close only afterwards
        if (phase == Phase.HANDSHAKING) {
            admission.endHandshake(address);
            phase = Phase.REFUSED;
        } else if (phase == Phase.ADMITTED && !released) {
            released = true;
            admission.released();
            meters.closed();
        }
        if (deadlineCheck != null) {
            deadlineCheck.cancel(false);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (deadline != null) {
            deadline.frameCompleted();
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.readComplete(System.nanoTime());
        }
        ctx.fireChannelReadComplete();
    }

    /** Checks once a second (or more often for short timeouts) whether a frame has been dripping too long. */
    private void watchFrames(ChannelHandlerContext ctx) {
        if (!(ctx.pipeline().get("frames") instanceof FrameDecoder decoder)) {
            return;
        }
        deadline = new FrameDeadline(decoder, configuration.frameTimeout());
        long period = Math.max(10, Math.min(1000, configuration.frameTimeout() / 4));
        deadlineCheck = ctx.executor().scheduleAtFixedRate(() -> {
            if (phase == Phase.ADMITTED && deadline.overdue(System.nanoTime())) {
                meters.closedBy("frame_timeout");
                REFUSALS.warn(route + "|frame_timeout", () -> "Listener " + route + ": closing " + describe(ctx)
                        + ": a frame was not complete " + configuration.frameTimeout() + " ms after it began"
                        + " (frameTimeout)");
                ctx.close();
            }
        }, period, period, TimeUnit.MILLISECONDS);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            if (phase == Phase.HANDSHAKING) {
                admission.endHandshake(address);
                phase = Phase.NEW;
                handshakeDone(ctx, handshake);
            }
            ctx.fireUserEventTriggered(evt);
            return;
        }
        if (evt instanceof IdleStateEvent && phase == Phase.ADMITTED) {
            meters.closedBy("idle_timeout");
            LOG.info("Listener {}: closing {}: nothing received for {} ms", route, describe(ctx),
                    configuration.idleTimeout());
            ctx.close();
            return;
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void handshakeDone(ChannelHandlerContext ctx, SslHandshakeCompletionEvent handshake) {
        if (!handshake.isSuccess()) {
            refuse(ctx, refusal(handshake.cause()), "at the TLS handshake: " + rootMessage(handshake.cause()));
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        String cn;
        try {
            cn = PeerIdentity.commonName(ssl.engine().getSession());
        } catch (SSLPeerUnverifiedException e) {
            refuse(ctx, "no_common_name", e.getMessage());
            return;
        }
        if (admitConnection(ctx)) {
            admit(ctx, cn, AckProtocol.negotiated(ssl));
            meters.accepted();
        }
    }

    /** Counts an identified connection against maxConnections, or refuses it. */
    private boolean admitConnection(ChannelHandlerContext ctx) {
        if (!admission.admit()) {
            refuse(ctx, "too_many_connections", admission.connections() + " connections are open (maxConnections "
                    + admission.maxConnections() + ")");
            return false;
        }
        phase = Phase.ADMITTED;
        meters.opened();
        watchFrames(ctx);
        return true;
    }

    /** A connection of {@code source} stops being read for a while; counted, and logged for a quota. */
    private void paused(String source, ListenerConnection.Hold hold) {
        meters.paused(hold.tag());
        if (hold == ListenerConnection.Hold.QUOTA) {
            REFUSALS.warn(route + "|quota|" + source, () -> "Listener " + route + ": source " + source + " has "
                    + limits.maxIngestBytes() + " bytes or more in its ingest directory (maxIngestBytes): its"
                    + " connections are not read until files there are removed or moved");
        }
    }

    /** Closes the connection, counted once under {@code reason}, logged at most once per interval and reason. */
    private void refuse(ChannelHandlerContext ctx, String reason, String detail) {
        phase = Phase.REFUSED;
        meters.refused(reason);
        SocketAddress from = ctx.channel().remoteAddress();
        REFUSALS.warn(route + "|" + reason, () -> "Listener " + route + ": refused " + from + " (" + reason + "): "
                + detail);
        ctx.close();
    }

    private void admit(ChannelHandlerContext ctx, String source, boolean acking) {
        ListenerConnection connection = new ListenerConnection(ctx.channel(), source, acking,
                configuration.maxPendingBytes(), limits, hold -> paused(source, hold));
        ctx.channel().attr(ListenerConnection.KEY).set(connection);
        LOG.debug("Listener {}: accepted {} ({})", route, connection, acking ? "acks" : "no acks");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FramingException framing = FramingException.find(cause);
        if (phase == Phase.REFUSED) {
            LOG.debug("Listener {}: refused connection {} failed: {}", route, ctx.channel().remoteAddress(),
                    rootMessage(cause));
        } else if (framing != null) {
            meters.rejected(framing.reason().tag());
            meters.closedBy("framing");
            LOG.warn("Listener {}: closing {}: {} (frames after the last complete one are not stored; a logferry"
                    + " forwarder sends them again)", route, describe(ctx), framing.getMessage());
        } else if (phase != Phase.ADMITTED) {
            LOG.debug("Listener {}: {} failed before the handshake ended: {}", route, ctx.channel().remoteAddress(),
                    rootMessage(cause));
        } else if (cause instanceof IOException) {
            meters.closedBy("io_error");
            LOG.info("Listener {}: connection {} lost: {}", route, describe(ctx), rootMessage(cause));
        } else {
            meters.closedBy("error");
            LOG.warn("Listener {}: closing {}: {}", route, describe(ctx), rootMessage(cause), cause);
        }
        ctx.close();
    }

    private static String describe(ChannelHandlerContext ctx) {
        ListenerConnection connection = ctx.channel().attr(ListenerConnection.KEY).get();
        return connection != null ? connection.toString() : String.valueOf(ctx.channel().remoteAddress());
    }

    /** A bounded reason tag for a failed handshake. */
    static String refusal(Throwable cause) {
        if (cause instanceof SslHandshakeTimeoutException) {
            return "handshake_timeout";
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateExpiredException || t instanceof CertificateNotYetValidException) {
                return "certificate_expired";
            }
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
            if (message.contains("empty client certificate") || message.contains("certificate_required")) {
                return "no_certificate";
            }
            if (message.contains("expired") || message.contains("not yet valid")) {
                return "certificate_expired";
            }
            if (message.contains("unable to find valid certification path") || message.contains("pkix")
                    || message.contains("signature check failed")) {
                return "untrusted_certificate";
            }
            if (message.contains("protocol") || message.contains("plaintext") || message.contains("not an ssl")) {
                return "protocol";
            }
        }
        return cause instanceof SSLHandshakeException || cause instanceof SSLException ? "handshake_failed" : "error";
    }

    private static String rootMessage(Throwable cause) {
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
