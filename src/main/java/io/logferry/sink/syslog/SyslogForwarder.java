package io.logferry.sink.syslog;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.Sink;
import io.logferry.sink.SinkHealth;
import io.logferry.sink.SinkResult;
import io.logferry.tls.ReloadingSslContext;
import io.logferry.tls.SslContextParametersFactory;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import org.apache.camel.Exchange;


/**
 * Sends each {@link LogBatch} to a syslog receiver over one persistent mutual-TLS connection, as RFC 5425
 * octet-counted (or RFC 6587 LF) frames, many per TLS record. Asynchronous: the exchange, and with it the
 * offset commit, completes when the receiver confirmed the batch (an ack from a logferry listener, or the
 * resend window towards a plain receiver). A lost connection fails nothing: the batches are written again, in
 * order, once a new connection is up, so a slow or absent receiver holds the route back through the tail's
 * in-flight budget instead of losing lines. Options are set on {@link #getConfiguration()}.
 */
public final class SyslogForwarder extends Sink {

    private final ForwarderConfiguration configuration = new ForwarderConfiguration();
    private FrameWriter frames;
    private ReloadingSslContext ssl;
    private ForwarderState state;
    private ForwardingChannel channel;

    public SyslogForwarder() {
        super("syslog");
    }

    public ForwarderConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    protected SinkHealth startSink() throws Exception {
        String route = getRouteId();
        configuration.validate(route);
        String who = "Syslog forwarder " + route;
        ssl = configuration.useTls() ? SslContextParametersFactory.reloading(who,
                configuration.tls().files(who), false, getCamelContext(), configuration.tls().reloadInterval()) : null;
        frames = new FrameWriter(configuration.octetCounting(), configuration.origin());
        state = new ForwarderState();
        PipelineMetrics metrics = metrics();
        if (metrics != null) {
            metrics.syslogForwarder(route, state::resentFrames);
        }
        channel = new ForwardingChannel(configuration, ssl, route, state);
        channel.start();
        return new ForwarderHealthCheck(configuration.host() + ":" + configuration.port(), state);
    }

    @Override
    protected void stopSink() {
        if (channel != null) {
            channel.stop();
        }
        if (ssl != null) {
            ssl.close();
        }
    }

    @Override
    protected String endpoint() {
        return "syslog:" + configuration.host() + ":" + configuration.port();
    }

    /** The channel reconnects on its own, with backoff: the receiver answers once a connection is up. */
    @Override
    protected boolean probe() {
        return state.isConnected();
    }

    @Override
    protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.heapBuffer((int) Math.min(Integer.MAX_VALUE - 8,
                batch.bytes() + 64L * batch.size()));
        try {
            for (LogLine line : batch.lines()) {
                frames.write(line, buffer);
            }
        } catch (RuntimeException e) {
            buffer.release();
            throw e;
        }
        int lines = batch.size();
        // the frames are now the only copy the route needs: dropping the lines halves the memory in flight
        batch.clearLines();
        channel.submit(new Outgoing(buffer, lines, result));
    }

    @Override
    public String toString() {
        return "SyslogForwarder[" + configuration + "]";
    }
}
