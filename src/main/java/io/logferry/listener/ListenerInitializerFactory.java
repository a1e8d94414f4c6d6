package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.rfc5425.AckProtocol;
import io.logferry.rfc5425.LfFrameDecoder;
import io.logferry.rfc5425.OctetCountingDecoder;
import io.logferry.tls.ReloadingSslContext;
import io.logferry.tls.SslContextParametersFactory;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.timeout.IdleStateHandler;
import org.apache.camel.CamelContext;
import org.apache.camel.component.netty.NettyConsumer;
import org.apache.camel.component.netty.ServerInitializerFactory;
import org.apache.camel.component.netty.handlers.ServerChannelHandler;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.util.concurrent.TimeUnit;

/**
 * Builds the pipeline of every connection of a syslog listener route (camel-netty's
 * {@code serverInitializerFactory}): TLS requiring a client certificate from the configured CA and offering
 * the ack protocol by ALPN, the idle timeout, the frame decoder (octet counting or LF, bounded), the batcher
 * that turns one read into one exchange, the guard that identifies or closes the connection, and camel-netty's
 * own handler that hands the batch to the route. Set up in the template as a bean with
 * {@code configuration.<option>} properties; camel-netty asks it for one factory per consumer.
 */
public final class ListenerInitializerFactory extends ServerInitializerFactory {

    private final ListenerConfiguration configuration;
    private final NettyConsumer consumer;
    private final ReloadingSslContext tls;
    private final ListenerMeters meters;
    private final Admission admission;
    private final SourceLimits limits;
    private final String route;

    /** The unbound factory the template creates; camel-netty binds it to its consumer. */
    public ListenerInitializerFactory() {
        this(new ListenerConfiguration(), null, null, null, null, null, "syslog-listener");
    }

    private ListenerInitializerFactory(ListenerConfiguration configuration, NettyConsumer consumer,
                                       ReloadingSslContext tls, ListenerMeters meters, Admission admission,
                                       SourceLimits limits, String route) {
        this.configuration = configuration;
        this.consumer = consumer;
        this.tls = tls;
        this.meters = meters;
        this.admission = admission;
        this.limits = limits;
        this.route = route;
    }

    public ListenerConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    public ServerInitializerFactory createPipelineFactory(NettyConsumer consumer) {
        String routeId = consumer.getRouteId() != null ? consumer.getRouteId() : route;
        configuration.validate(routeId);
        CamelContext context = consumer.getEndpoint().getCamelContext();
        try {
            String who = "Syslog listener " + routeId;
            ReloadingSslContext ssl = configuration.useTls() ? SslContextParametersFactory.reloading(who,
                    configuration.tls().files(who), true, context, configuration.tls().reloadInterval())
                    .whileActive(() -> !consumer.isStoppingOrStopped()) : null;
            Admission admission = new Admission(configuration.maxHandshakes(),
                    configuration.maxHandshakesPerAddress(), configuration.maxConnections());
            return new ListenerInitializerFactory(configuration, consumer, ssl, meters(context, routeId), admission,
                    configuration.sourceLimits(), routeId);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("Syslog listener " + routeId + ": cannot set up TLS: " + e.getMessage(), e);
        }
    }

    private static ListenerMeters meters(CamelContext context, String routeId) {
        PipelineMetrics metrics = PipelineMetrics.of(context);
        return metrics != null ? metrics.listener(routeId) : ListenerMeters.standalone(routeId);
    }

    @Override
    protected void initChannel(Channel ch) {
        if (consumer == null) {
            throw new IllegalStateException("the listener pipeline factory was not bound to a consumer");
        }
        if (limits.rateLimited()) {
            // Netty reads up to 16 buffers before the batch is handed on; one at a time, a source over its rate is
            // paused after at most one buffer more than it may send, not a megabyte more
            ch.config().setOption(ChannelOption.MAX_MESSAGES_PER_READ, 1);
        }
        ChannelPipeline pipeline = ch.pipeline();
        if (tls != null) {
            SslHandler ssl = new SslHandler(engine());
            ssl.setHandshakeTimeoutMillis(configuration.handshakeTimeout());
            pipeline.addLast("ssl", ssl);
        }
        pipeline.addLast("idle", new IdleStateHandler(configuration.idleTimeout(), 0, 0, TimeUnit.MILLISECONDS));
        pipeline.addLast("frames", configuration.octetCounting()
                ? new OctetCountingDecoder(configuration.maxFrameLength())
                : new LfFrameDecoder(configuration.maxFrameLength(), true));
        pipeline.addLast("batcher", new FrameBatcher());
        pipeline.addLast("guard", new ConnectionGuard(configuration, admission, limits, meters, route));
        pipeline.addLast("handler", new ServerChannelHandler(consumer));
    }

    private SSLEngine engine() {
        SSLEngine engine = tls.current().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setNeedClientAuth(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setNeedClientAuth(true);
        engine.setSSLParameters(parameters);
        // Select the ack protocol when a logferry forwarder offers it; go on without ALPN for anyone else.
        engine.setHandshakeApplicationProtocolSelector((e, offered) -> offered.contains(AckProtocol.ALPN)
                ? AckProtocol.ALPN : "");
        return engine;
    }
}
