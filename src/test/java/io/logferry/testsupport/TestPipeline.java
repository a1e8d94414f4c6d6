package io.logferry.testsupport;

import io.logferry.offset.SqliteOffsetStore;
import io.logferry.runtime.LogferryConfiguration;
import io.logferry.runtime.ShippedRoutes;
import io.logferry.tls.PkiDirectory;
import io.logferry.tail.TailConsumer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.TemplatedRouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A Camel context running the shipped YAML templates against a temporary directory: logs/ to tail,
 * offsets.db, deadletters.db and events.db. Short retry delays keep failure scenarios quick.
 */
public final class TestPipeline implements AutoCloseable {

    public static final String ROUTE_ID = "tail-to-store";
    public static final String LISTENER = "syslog-listener";
    public static final String KAFKA_LOADER = "kafka-to-store";

    private final Path dir;
    private final CamelContext context;
    private final String routeId;
    private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

    private TestPipeline(Path dir, String template, Map<String, String> params,
                         Map<String, String> initialProperties) throws Exception {
        this.dir = dir;
        this.routeId = template;
        this.context = new DefaultCamelContext();
        var properties = context.getPropertiesComponent();
        properties.addInitialProperty("logferry.offsets.db-path", offsetsDb().toString());
        properties.addInitialProperty("logferry.deadletters.db-path", deadLettersDb().toString());
        properties.addInitialProperty("logferry.redelivery.maximum-redeliveries", "1");
        properties.addInitialProperty("logferry.redelivery.initial-delay", "20");
        initialProperties.forEach(properties::addInitialProperty);
        // stands in for Camel's Prometheus registry, which logferry's meters join when the context starts
        context.getRegistry().bind("metricsRegistry", meters);
        new LogferryConfiguration().configure(context);
        for (String file : ShippedRoutes.patterns()) {
            Resource resource = PluginHelper.getResourceLoader(context).resolveResource(file);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        }
        Map<String, String> all = new HashMap<>();
        if (template.equals(LISTENER)) {
            all.put("ingestDir", ingestDir().toString());
            all.put("stateDb", dir.resolve("listener.db").toString());
        } else if (!template.equals(KAFKA_LOADER)) {
            all.put("paths", logs() + "/*.log");
            all.put("pollInterval", "50");
            all.put("batchTimeout", "100");
            all.put("rotateWait", "1000");
        }
        if (template.equals(ROUTE_ID) || template.equals(KAFKA_LOADER)) {
            all.put("storeUrl", "jdbc:sqlite:" + eventsDb());
            all.put("storeSynchronous", "NORMAL");
        }
        all.putAll(params);
        TemplatedRouteBuilder builder = TemplatedRouteBuilder.builder(context, template).routeId(template);
        all.forEach(builder::parameter);
        builder.add();
    }

    /**
     * A syslog listener on 127.0.0.1:{@code port} with the server certificate and CA of {@code pki}; {@code extra}
     * parameters are added or override these.
     */
    public static TestPipeline listener(Path dir, PkiDirectory pki, int port, Map<String, String> extra)
            throws Exception {
        Map<String, String> params = new HashMap<>(Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "certFile", pki.certificate(TestPki.SERVER).toString(), "keyFile", pki.key(TestPki.SERVER).toString(),
                "caFile", pki.caCertificate().toString()));
        params.putAll(extra);
        return start(dir, LISTENER, params);
    }

    /** Builds and starts a pipeline; params override the template's parameters. */
    public static TestPipeline start(Path dir, Map<String, String> params) throws Exception {
        return start(dir, ROUTE_ID, params, Map.of());
    }

    /** As {@link #start(Path, Map)}, with properties that {@code {{name}}} placeholders in params can use. */
    public static TestPipeline start(Path dir, Map<String, String> params, Map<String, String> properties)
            throws Exception {
        return start(dir, ROUTE_ID, params, properties);
    }

    /** Builds and starts a pipeline of the given shipped template; params override its parameters. */
    public static TestPipeline start(Path dir, String template, Map<String, String> params) throws Exception {
        return start(dir, template, params, Map.of());
    }

    public static TestPipeline start(Path dir, String template, Map<String, String> params,
                                     Map<String, String> properties) throws Exception {
        return start(dir, template, params, properties, context -> { });
    }

    /** As the others, with a last look at the context before it starts (an intercept strategy, a bean). */
    public static TestPipeline start(Path dir, String template, Map<String, String> params,
                                     Map<String, String> properties, Consumer<CamelContext> beforeStart)
            throws Exception {
        TestPipeline pipeline = new TestPipeline(dir, template, params, properties);
        beforeStart.accept(pipeline.context);
        pipeline.context.start();
        return pipeline;
    }

    public static TestPipeline start(Path dir) throws Exception {
        return start(dir, Map.of());
    }

    public CamelContext context() {
        return context;
    }

    /** logferry's meters (and only those: no Camel metrics run here). */
    public MeterRegistry meters() {
        return meters;
    }

    public Path logs() {
        return dir.resolve("logs");
    }

    public Path offsetsDb() {
        return dir.resolve("offsets.db");
    }

    public Path deadLettersDb() {
        return dir.resolve("deadletters.db");
    }

    public long deadLetters() {
        return queryLong(deadLettersDb(), "SELECT count(*) FROM lf_deadletter_records");
    }

    /** Where a syslog-listener pipeline writes its ingest files. */
    public Path ingestDir() {
        return dir.resolve("ingest");
    }

    public Path eventsDb() {
        return dir.resolve("events.db");
    }

    public TailConsumer consumer() {
        return (TailConsumer) context.getRoute(routeId).getConsumer();
    }

    /** The committed offset of the one file the pipeline follows, or null before the first commit. */
    public String committedOffset() {
        var files = consumer().followedFiles().keySet();
        return files.isEmpty() ? null : offsets().getState(routeId + "/" + files.iterator().next());
    }

    public SqliteOffsetStore offsets() {
        return context.getRegistry().lookupByNameAndType("offsetStore", SqliteOffsetStore.class);
    }

    /** Runs a query returning one number against the event store (WAL allows reading while the route writes). */
    public long storeQuery(String sql) {
        return queryLong(eventsDb(), sql);
    }

    public long storedLines() {
        return storeQuery("SELECT count(*) FROM lf_store_events");
    }

    public static long queryLong(Path db, String sql) {
        if (!db.toFile().exists()) {
            return 0;
        }
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 5000");
            try (ResultSet rs = st.executeQuery(sql)) {
                return rs.next() ? rs.getLong(1) : 0;
            }
        } catch (SQLException e) {
            if (e.getMessage().contains("no such table")) {
                return 0;
            }
            throw new IllegalStateException(e);
        }
    }

    public static void execute(Path db, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db); Statement st = c.createStatement()) {
            st.execute("PRAGMA busy_timeout = 5000");
            st.execute(sql);
        }
    }

    @Override
    public void close() {
        context.stop();
    }
}
