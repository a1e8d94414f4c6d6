package io.logferry.syslog.listen;

import io.logferry.batch.BatchConstants;
import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import org.apache.camel.AsyncCallback;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.Exchange;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.AsyncProcessorSupport;

import java.nio.file.Path;
import java.time.Clock;

/**
 * The sink of a syslog listener route: appends what each connection received to the per-source ingest files
 * ({@code <ingestDir>/<client CN>/<date>.log}) through the group-committing {@link IngestWriter}. Asynchronous:
 * the exchange completes when its frames are on disk and acknowledged. Set up in the template as a bean.
 */
public final class IngestSink extends AsyncProcessorSupport implements CamelContextAware, RouteIdAware {

    private CamelContext camelContext;
    private String route = "syslog-listener";
    private Path ingestDir = Path.of("ingest");
    private Path stateDb = Path.of("data/syslog-listener.db");
    private boolean fsync;
    private boolean dedup = true;
    private ListenerState state;
    private IngestFiles files;
    private IngestWriter writer;
    private Thread thread;

    /** Directory of the ingest files: one subdirectory per client certificate CN, one file per UTC day. */
    public void setIngestDir(String ingestDir) {
        this.ingestDir = Path.of(ingestDir.strip());
    }

    /** SQLite file of the high-water marks and committed file lengths (one per listener route). */
    public void setStateDb(String stateDb) {
        this.stateDb = Path.of(stateDb.strip());
    }

    /** Force the files to disk before acknowledging (power-loss safety; costs an fsync per group commit). */
    public void setFsync(boolean fsync) {
        this.fsync = fsync;
    }

    /** Drop frames whose origin element is at or below the (CN, file) high-water mark (default true). */
    public void setDedup(boolean dedup) {
        this.dedup = dedup;
    }

    @Override
    public void setRouteId(String routeId) {
        this.route = routeId;
    }

    @Override
    public String getRouteId() {
        return route;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    @Override
    protected void doStart() throws Exception {
        state = new ListenerState(stateDb);
        files = new IngestFiles(ingestDir, fsync);
        try {
            files.recover(state);
        } catch (Exception e) {
            state.close();
            throw new IllegalStateException("Listener " + route + ": cannot check the ingest files in " + ingestDir
                    + ": " + e.getMessage(), e);
        }
        PipelineMetrics metrics = camelContext.getRegistry().lookupByNameAndType("pipelineMetrics",
                PipelineMetrics.class);
        ListenerMeters meters = metrics != null ? metrics.listener(route) : ListenerMeters.standalone(route);
        writer = new IngestWriter(files, state, meters, dedup, route, Clock.systemUTC());
        thread = new Thread(writer, "logferry-ingest-" + route);
        thread.start();
    }

    @Override
    protected void doStop() throws Exception {
        if (writer != null) {
            writer.stop();
            thread.join(10_000);
            files.close();
            state.close();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        exchange.setProperty(BatchConstants.SINK, "ingest");
        ReceivedFrames batch = exchange.getMessage().getBody(ReceivedFrames.class);
        if (batch == null) {
            exchange.setException(new IllegalArgumentException("The ingest sink expects frames from a syslog"
                    + " listener, got " + exchange.getMessage().getBody()));
            callback.done(true);
            return true;
        }
        writer.submit(new IngestWriter.Pending(batch, () -> callback.done(false), e -> {
            exchange.setException(e);
            callback.done(false);
        }));
        return false;
    }
}
