package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.rfc5425.AckProtocol;
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
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.util.Locale;

/**
 * Admits, identifies and, when needed, closes one client connection: the connection limit, the handshake
 * outcome (the verified certificate's CN becomes the source; a refusal is logged with its reason and counted),
 * the idle timeout, and framing violations. Anything it closes for is a log line and a meter (DESIGN
 * invariants 7 and 8); other connections never notice.
 */
final class ConnectionGuard extends ChannelInboundHandlerAdapter {

    /** Source name of plaintext connections (loopback only): they carry no identity. */
    static final String UNAUTHENTICATED = "unauthenticated";
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionGuard.class);

    private final ListenerConfiguration configuration;
    private final ListenerMeters meters;
    private final String route;
    private boolean counted;

    ConnectionGuard(ListenerConfiguration configuration, ListenerMeters meters, String route) {
        this.configuration = configuration;
        this.meters = meters;
        this.route = route;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (meters.activeConnections() >= configuration.maxConnections()) {
            meters.refused("too_many_connections");
            LOG.warn("Listener {}: refused {}: {} connections are open (maxConnections)", route,
                    ctx.channel().remoteAddress(), meters.activeConnections());
            ctx.close();
            return;
        }
        meters.opened();
        counted = true;
        if (ctx.pipeline().get(SslHandler.class) == null) {
            admit(ctx, UNAUTHENTICATED, false);
        }
        ctx.fireChannelActive();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (counted) {
            meters.closed();
            counted = false;
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof SslHandshakeCompletionEvent handshake) {
            handshakeDone(ctx, handshake);
        } else if (evt instanceof IdleStateEvent) {
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
            String reason = refusal(handshake.cause());
            meters.refused(reason);
            LOG.warn("Listener {}: refused {} at the TLS handshake ({}): {}", route, ctx.channel().remoteAddress(),
                    reason, rootMessage(handshake.cause()));
            ctx.close();
            return;
        }
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        try {
            String cn = PeerIdentity.commonName(ssl.engine().getSession());
            admit(ctx, cn, AckProtocol.negotiated(ssl));
            meters.accepted();
        } catch (SSLPeerUnverifiedException e) {
            meters.refused("no_common_name");
            LOG.warn("Listener {}: refused {}: {}", route, ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
        }
    }

    private void admit(ChannelHandlerContext ctx, String source, boolean acking) {
        ListenerConnection connection = new ListenerConnection(ctx.channel(), source, acking,
                configuration.maxPendingBytes());
        ctx.channel().attr(ListenerConnection.KEY).set(connection);
        LOG.debug("Listener {}: accepted {} ({})", route, connection, acking ? "acks" : "no acks");
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        FramingException framing = FramingException.find(cause);
        if (framing != null) {
            meters.rejected(framing.reason().tag());
            meters.closedBy("framing");
            LOG.warn("Listener {}: closing {}: {} (frames after the last complete one are not stored; a logferry"
                    + " forwarder sends them again)", route, describe(ctx), framing.getMessage());
        } else if (ctx.channel().attr(ListenerConnection.KEY).get() == null) {
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
