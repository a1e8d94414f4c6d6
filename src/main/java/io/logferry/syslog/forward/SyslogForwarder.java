package io.logferry.syslog.forward;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.RouteSinkSupport;
import io.logferry.tls.SslContextParametersFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

import javax.net.ssl.SSLContext;

/**
 * Sends each {@link LogBatch} to a syslog receiver over one persistent mutual-TLS connection, as RFC 5425
 * octet-counted (or RFC 6587 LF) frames, many per TLS record. Asynchronous: the exchange, and with it the
 * offset commit, completes when the receiver confirmed the batch (an ack from a logferry listener, or the
 * resend window towards a plain receiver). A lost connection fails nothing: the batches are written again, in
 * order, once a new connection is up, so a slow or absent receiver holds the route back through the tail's
 * in-flight budget instead of losing lines. Options are set on {@link #getConfiguration()}.
 */
public final class SyslogForwarder extends RouteSinkSupport {

    private final ForwarderConfiguration configuration = new ForwarderConfiguration();
    private FrameWriter frames;
    private ForwarderState state;
    private ForwardingChannel channel;
    /** {@code syslog:HOST:PORT}, named in dead letters; set at start. */
    private String endpoint;

    public SyslogForwarder() {
        super("syslog");
    }

    public ForwarderConfiguration getConfiguration() {
        return configuration;
    }





    @Override
    protected void doStart() throws Exception {
        String route = getRouteId();
        configuration.validate(route);
        endpoint = "syslog:" + configuration.host() + ":" + configuration.port();
        SSLContext ssl = configuration.useTls() ? SslContextParametersFactory
                .client(configuration.tls().files("Syslog forwarder " + route)).createSSLContext(getCamelContext())
                : null;
        frames = new FrameWriter(configuration.octetCounting(), configuration.origin());
        state = new ForwarderState();
        PipelineMetrics metrics = metrics();
        if (metrics != null) {
            metrics.syslogForwarder(route, state::resentFrames);
        }
        channel = new ForwardingChannel(configuration, ssl, route, state);
        channel.start();
        registerHealthCheck(new ForwarderHealthCheck(route, configuration.host() + ":" + configuration.port(),
                state));
    }

    @Override
    protected void doStop() {
        if (channel != null) {
            channel.stop();
        }
        unregisterHealthCheck();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        exchange.setProperty(BatchConstants.SINK, "syslog");
        exchange.setProperty(BatchConstants.SINK_ENDPOINT, endpoint);
        LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
        if (batch == null || batch.size() == 0) {
            callback.done(true);
            return true;
        }
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.heapBuffer((int) Math.min(Integer.MAX_VALUE - 8,
                batch.bytes() + 64L * batch.size()));
        try {
            for (LogLine line : batch.lines()) {
                frames.write(line, buffer);
            }
        } catch (RuntimeException e) {
            buffer.release();
            exchange.setException(e);
            callback.done(true);
            return true;
        }
        int lines = batch.size();
        // the frames are now the only copy the route needs: dropping the lines halves the memory in flight
        batch.clearLines();
        channel.submit(new Outgoing(buffer, lines, () -> callback.done(false), e -> {
            exchange.setException(e);
            callback.done(false);
        }));
        return false;
    }

    @Override
    public String toString() {
        return "SyslogForwarder[" + configuration + "]";
    }
}
