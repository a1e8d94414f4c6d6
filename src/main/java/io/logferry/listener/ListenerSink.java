package io.logferry.listener;

import io.logferry.batch.BatchConstants;
import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.RouteSinkSupport;
import io.logferry.sink.store.EventStoreWriter;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * The sink of a syslog listener route: stores what each connection received through the group-committing
 * {@link ListenerWriter}, into the per-source ingest files ({@code <ingestDir>/<client CN>/<date>.log}) or, with
 * {@code output=store}, into the JDBC event store with the CN as source. Asynchronous: the exchange completes
 * when its frames are stored and acknowledged. Set up in the template as a bean.
 */
public final class ListenerSink extends RouteSinkSupport {

    private Path ingestDir = Path.of("ingest");
    private Path stateDb = Path.of("data/syslog-listener.db");
    private boolean fsync;
    private boolean dedup = true;
    private boolean toStore;
    private final EventStoreWriter store = new EventStoreWriter();
    private ListenerOutput output;
    private ListenerWriter writer;
    private Thread thread;

    public ListenerSink() {
        super("syslog-listener");
    }

    /** {@code file} (the ingest files, default) or {@code store} (the JDBC event store at storeUrl). */
    public void setOutput(String output) {
        String value = output.strip().toLowerCase(Locale.ROOT);
        if (!value.equals("file") && !value.equals("store")) {
            throw new IllegalArgumentException("output must be file or store, was '" + output + "'");
        }
        this.toStore = value.equals("store");
    }

    /** With output=store: the JDBC URL of the event store (jdbc:sqlite:... or jdbc:postgresql://...). */
    public void setStoreUrl(String url) {
        store.setUrl(url);
    }

    /** With output=store on PostgreSQL: the user. */
    public void setStoreUser(String user) {
        store.setUser(user);
    }

    /** With output=store on PostgreSQL: the password (use a property). */
    public void setStorePassword(String password) {
        store.setPassword(password);
    }

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
    protected void doStart() throws Exception {
        output = toStore ? storeOutput() : fileOutput();
        String route = getRouteId();
        PipelineMetrics metrics = metrics();
        ListenerMeters meters = metrics != null ? metrics.listener(route) : ListenerMeters.standalone(route);
        writer = new ListenerWriter(output, meters, route);
        thread = new Thread(writer, "logferry-listener-" + route);
        thread.start();
    }

    private ListenerOutput fileOutput() {
        ListenerState state = new ListenerState(stateDb);
        IngestFiles files = new IngestFiles(ingestDir, fsync);
        try {
            files.recover(state);
        } catch (Exception e) {
            state.close();
            throw new IllegalStateException("Listener " + getRouteId() + ": cannot check the ingest files in " + ingestDir
                    + ": " + e.getMessage(), e);
        }
        return new IngestFilesOutput(files, state, dedup, Clock.systemUTC());
    }

    private ListenerOutput storeOutput() {
        if (store.getUrl() == null || store.getUrl().isBlank()) {
            throw new IllegalArgumentException("Listener " + getRouteId() + ": output=store needs storeUrl, e.g."
                    + " jdbc:sqlite:data/events.db");
        }
        store.start();
        return new EventStoreOutput(store);
    }

    @Override
    protected void doStop() throws Exception {
        if (writer != null) {
            writer.stop();
            thread.join(10_000);
            output.close();
        }
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        exchange.setProperty(BatchConstants.SINK, toStore ? "store" : "ingest");
        ReceivedFrames batch = exchange.getMessage().getBody(ReceivedFrames.class);
        if (batch == null) {
            exchange.setException(new IllegalArgumentException("The ingest sink expects frames from a syslog"
                    + " listener, got " + exchange.getMessage().getBody()));
            callback.done(true);
            return true;
        }
        writer.submit(new ListenerWriter.Pending(batch, () -> callback.done(false), e -> {
            exchange.setException(e);
            callback.done(false);
        }));
        return false;
    }
}
