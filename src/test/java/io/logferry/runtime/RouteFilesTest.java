package io.logferry.runtime;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Reloading one route file replaces only its routes, resumes their offsets, and refuses broken edits. */
class RouteFilesTest {

    @TempDir
    Path dir;

    private CamelContext context;
    private RouteFiles routeFiles;
    private Path routes;
    private LogWriter writer;

    @BeforeEach
    void setUp() throws Exception {
        context = new DefaultCamelContext();
        var properties = context.getPropertiesComponent();
        properties.addInitialProperty("logferry.offsets.db-path", dir.resolve("offsets.db").toString());
        properties.addInitialProperty("logferry.deadletters.db-path", dir.resolve("deadletters.db").toString());
        new LogferryConfiguration().configure(context);
        for (String file : new String[] {"routes/error-handling.camel.yaml", "routes/tail-to-store.camel.yaml"}) {
            Resource resource = PluginHelper.getResourceLoader(context).resolveResource("classpath:" + file);
            PluginHelper.getRoutesLoader(context).loadRoutes(resource);
        }
        routes = Files.createDirectories(dir.resolve("routes"));
        writer = new LogWriter(dir.resolve("logs/app.log"));
        routeFiles = new RouteFiles(context);
    }

    @AfterEach
    void tearDown() throws Exception {
        writer.close();
        context.stop();
    }

    private Path pipeline(String name, String routeId, String logs, String db, String... extra) throws Exception {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n    routeTemplateRef: tail-to-store\n"
                + "    routeId: " + routeId + "\n    parameters:\n");
        param(yaml, "paths", dir.resolve(logs) + "/*.log");
        param(yaml, "storeUrl", "jdbc:sqlite:" + dir.resolve(db));
        param(yaml, "storeSynchronous", "NORMAL");
        param(yaml, "pollInterval", "50");
        for (int i = 0; i < extra.length; i += 2) {
            param(yaml, extra[i], extra[i + 1]);
        }
        Path file = routes.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }

    private static void param(StringBuilder yaml, String name, String value) {
        yaml.append("      - name: ").append(name).append("\n        value: \"").append(value).append("\"\n");
    }

    private long stored(String db) {
        return TestPipeline.queryLong(dir.resolve(db), "SELECT count(*) FROM lf_store_events");
    }

    private long distinct(String db) {
        return TestPipeline.queryLong(dir.resolve(db), "SELECT count(DISTINCT raw) FROM lf_store_events");
    }

    private void awaitStored(String db, long n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> stored(db) >= n);
    }

    @Test
    void editedFileRestartsOnlyItsRoutesAndResumesTheirOffsets() throws Exception {
        Path a = pipeline("a.camel.yaml", "a-to-store", "logs", "a.db");
        new LogWriter(dir.resolve("other/b.log"), "host-b").write(10);
        pipeline("b.camel.yaml", "b-to-store", "other", "b.db");
        routeFiles.loadAll(List.of(a, routes.resolve("b.camel.yaml")));
        context.start();
        writer.write(100);
        awaitStored("a.db", 100);
        awaitStored("b.db", 10);
        Route b = context.getRoute("b-to-store");

        pipeline("a.camel.yaml", "a-to-store", "logs", "a.db", "batchTimeout", "50");
        assertThat(routeFiles.reload(a)).isEqualTo(RouteFiles.Outcome.RELOADED);
        writer.write(100);

        awaitStored("a.db", 200);
        assertThat(stored("a.db")).isEqualTo(200);
        assertThat(distinct("a.db")).isEqualTo(200);
        assertThat(context.getRoute("b-to-store")).isSameAs(b);
        assertThat(context.getRoute("a-to-store").getEndpoint().getEndpointUri()).isNotNull();
        assertThat(routeFiles.reload(a)).isEqualTo(RouteFiles.Outcome.UNCHANGED);
    }

    @Test
    void addedFileStartsAndRemovedFileStops() throws Exception {
        Path a = pipeline("a.camel.yaml", "a-to-store", "logs", "a.db");
        routeFiles.loadAll(List.of(a));
        context.start();
        new LogWriter(dir.resolve("other/b.log"), "host-b").write(10);

        Path b = pipeline("b.camel.yaml", "b-to-store", "other", "b.db");
        assertThat(routeFiles.reload(b)).isEqualTo(RouteFiles.Outcome.ADDED);
        awaitStored("b.db", 10);

        Files.delete(b);
        assertThat(routeFiles.reload(b)).isEqualTo(RouteFiles.Outcome.REMOVED);
        assertThat(context.getRoute("b-to-store")).isNull();
        assertThat(context.getRoute("a-to-store")).isNotNull();
        assertThat(routeFiles.routeIds()).containsOnlyKeys(a);
    }

    @Test
    void brokenEditsAreRefusedWithoutTouchingTheRunningRoute() throws Exception {
        Path a = pipeline("a.camel.yaml", "a-to-store", "logs", "a.db");
        routeFiles.loadAll(List.of(a));
        context.start();
        Route running = context.getRoute("a-to-store");
        String good = Files.readString(a);

        Files.writeString(a, good.replace("    routeId: a-to-store", "   routeId: a-to-store"));
        assertThat(routeFiles.reload(a)).isEqualTo(RouteFiles.Outcome.REFUSED);
        assertThat(routeFiles.lastRefusal()).contains("a.camel.yaml: line 3").contains("not valid YAML");

        Files.writeString(a, good.replace("name: pollInterval", "name: pollIntervall"));
        assertThat(routeFiles.reload(a)).isEqualTo(RouteFiles.Outcome.REFUSED);
        assertThat(routeFiles.lastRefusal()).contains("sets parameter 'pollIntervall'");

        pipeline("b.camel.yaml", "a-to-store", "other", "b.db");
        assertThat(routeFiles.reload(routes.resolve("b.camel.yaml"))).isEqualTo(RouteFiles.Outcome.REFUSED);
        assertThat(routeFiles.lastRefusal()).contains("route id 'a-to-store' is already used in");

        assertThat(context.getRoute("a-to-store")).isSameAs(running);
        writer.write(20);
        awaitStored("a.db", 20);
    }

    @Test
    void editThatFailsToStartBringsThePreviousRoutesBack() throws Exception {
        Path a = pipeline("a.camel.yaml", "a-to-store", "logs", "a.db");
        routeFiles.loadAll(List.of(a));
        context.start();
        writer.write(50);
        awaitStored("a.db", 50);

        // the glob's directory is a file: refused when the route starts, after the old one was stopped
        Files.writeString(a, Files.readString(a).replace(dir.resolve("logs") + "/*.log",
                dir.resolve("logs/app.log") + "/*.log"));
        assertThat(routeFiles.reload(a)).isEqualTo(RouteFiles.Outcome.REFUSED);
        assertThat(routeFiles.lastRefusal()).contains("is a file, not a directory");
        assertThat(context.getRouteController().getRouteStatus("a-to-store")).isEqualTo(ServiceStatus.Started);

        writer.write(50);
        awaitStored("a.db", 100);
        assertThat(distinct("a.db")).isEqualTo(100);
        assertThat(stored("a.db")).isEqualTo(100);
    }
}
