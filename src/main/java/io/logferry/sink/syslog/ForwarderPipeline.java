package io.logferry.sink.syslog;

import io.logferry.rfc5425.AckProtocol;
import io.logferry.rfc5425.OctetCountingDecoder;
import io.logferry.tls.ReloadingSslContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.WriteTimeoutHandler;
import io.netty.util.AttributeKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.concurrent.TimeUnit;
import java.util.function.ObjLongConsumer;

/**
 * The handlers of one forwarder connection: TLS (client certificate, receiver's certificate checked against the
 * CA and, by default, its host name; the ack protocol offered by ALPN), a write timeout (a receiver that stops
 * reading must not hold the route), and the reader of ack frames. Frames go out as the ByteBufs the
 * {@link ForwardingChannel} writes: they are encoded before they reach the pipeline.
 */
final class ForwarderPipeline extends ChannelInitializer<SocketChannel> {

    private static final Logger LOG = LoggerFactory.getLogger(ForwarderPipeline.class);
    private static final int MAX_ACK_FRAME = 64;
    /** Why the connection closed, when a handler closed it on an error; read by the channel's close listener. */
    static final AttributeKey<Throwable> CLOSE_CAUSE = AttributeKey.valueOf("logferryCloseCause");

    private final ForwarderConfiguration configuration;
    private final ReloadingSslContext sslContext;
    private final ObjLongConsumer<Channel> acks;

    ForwarderPipeline(ForwarderConfiguration configuration, ReloadingSslContext sslContext,
                      ObjLongConsumer<Channel> acks) {
        this.configuration = configuration;
        this.sslContext = sslContext;
        this.acks = acks;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        if (sslContext != null) {
            SslHandler ssl = new SslHandler(engine());
            ssl.setHandshakeTimeoutMillis(configuration.connectTimeout());
            ch.pipeline().addLast("ssl", ssl);
        }
        ch.pipeline().addLast("write-timeout",
                new WriteTimeoutHandler(configuration.writeTimeout(), TimeUnit.MILLISECONDS));
        ch.pipeline().addLast("ack-frames", new OctetCountingDecoder(MAX_ACK_FRAME));
        ch.pipeline().addLast("acks", new AckReader(acks));
    }

    private SSLEngine engine() {
        SSLEngine engine = sslContext.current().createSSLEngine(configuration.host(), configuration.port());
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        if (configuration.verifyHostname()) {
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        if (configuration.acks() != ForwarderConfiguration.Acks.OFF) {
            parameters.setApplicationProtocols(new String[] {AckProtocol.ALPN});
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** Turns ack frames into confirmations; anything else from the receiver closes the connection. */
    private static final class AckReader extends SimpleChannelInboundHandler<byte[]> {
        private final ObjLongConsumer<Channel> acks;

        AckReader(ObjLongConsumer<Channel> acks) {
            this.acks = acks;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, byte[] frame) {
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            long n = AckProtocol.parseAck(frame);
            if (n < 0 || !AckProtocol.negotiated(ssl)) {
                LOG.warn("Receiver {} sent a frame that is not a logferry ack; closing the connection (the"
                        + " unconfirmed frames are sent again)", ctx.channel().remoteAddress());
                ctx.close();
                return;
            }
            acks.accept(ctx.channel(), n);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.channel().attr(CLOSE_CAUSE).setIfAbsent(cause);
            ctx.close();
        }
    }
}
