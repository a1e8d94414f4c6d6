package io.logferry.health;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
import org.apache.camel.CamelContext;
import org.apache.camel.component.platform.http.main.ManagementHttpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code /observe/health/ready} of Camel's management server over a running tail-to-hec pipeline: a route
 * paused on purpose keeps it UP, a sink that cannot deliver and a route that cannot start turn it DOWN.
 */
class ReadinessTest {

    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final String ROUTE = "tail-to-hec";
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private FakeHecServer hec;
    private LogWriter writer;
    private TestPipeline pipeline;
    private String ready;

    @BeforeEach
    void start() throws Exception {
        hec = FakeHecServer.builder().token(TOKEN).ack(true).start();
        writer = new LogWriter(dir.resolve("logs/app.log"));
    }

    @AfterEach
    void stop() throws Exception {
        if (pipeline != null) {
            pipeline.close();
        }
        writer.close();
        hec.close();
    }

    private void startPipeline(Map<String, String> params) throws Exception {
        Map<String, String> all = new java.util.HashMap<>(Map.of("url", hec.url().toString(), "token", TOKEN,
                "ack", "true", "ackPollInterval", "50", "requestTimeout", "2000"));
        all.putAll(params);
        pipeline = TestPipeline.start(dir, ROUTE, all);
        ready = "http://127.0.0.1:" + managementServer(pipeline.context()) + "/observe/health/ready";
    }

    @Test
    void routeStoppedThroughTheRouteControllerKeepsReadinessUp() throws Exception {
        startPipeline(Map.of());
        delivered(10);
        awaitReadiness(200, "");

        pipeline.context().getRouteController().stopRoute(ROUTE);

        HttpResponse<String> response = get();
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"route:" + ROUTE + "\",\"status\":\"UP\"");
        pipeline.context().getRouteController().startRoute(ROUTE);
        delivered(10);
        awaitReadiness(200, "");
    }

    @Test
    void routeStoppedOrSuspendedOverJmxKeepsReadinessUp() throws Exception {
        startPipeline(Map.of());
        delivered(10);
        MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
        Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:type=routes,name=\"" + ROUTE + "\",*"),
                null);
        assertThat(names).hasSize(1);
        ObjectName route = names.iterator().next();

        awaitReadiness(200, "");
        jmx.invoke(route, "suspend", null, null);
        assertThat(jmx.getAttribute(route, "State")).isEqualTo("Suspended");
        assertThat(status()).isEqualTo(200);

        jmx.invoke(route, "stop", null, null);
        assertThat(jmx.getAttribute(route, "State")).isEqualTo("Stopped");
        assertThat(status()).isEqualTo(200);

        jmx.invoke(route, "start", null, null);
        delivered(10);
    }

    @Test
    void sinkThatCannotDeliverTurnsReadinessDownUntilItIsFixed() throws Exception {
        startPipeline(Map.of());
        delivered(10);
        awaitReadiness(200, "");

        hec.faults().disableToken(TOKEN);
        writer.write(5);
        await().atMost(WAIT).until(() -> status() == 503);
        assertThat(get().body()).contains("sink:hec-" + ROUTE);

        hec.faults().enableToken(TOKEN);
        await().atMost(WAIT).until(() -> hec.distinctSeqCount() == writer.written());
        await().atMost(WAIT).until(() -> status() == 200);
    }

    @Test
    void unhealthyCollectorTurnsReadinessDownUntilItRecovers() throws Exception {
        startPipeline(Map.of());
        delivered(10);
        awaitReadiness(200, "");

        hec.faults().unhealthy(true);
        awaitReadiness(503, "\"sink:hec-" + ROUTE + "\",\"status\":\"DOWN\"");
        hec.faults().unhealthy(false);
        awaitReadiness(200, "");
    }

    @Test
    void routeThatFailsToStartTurnsReadinessDown() throws Exception {
        startPipeline(Map.of());
        delivered(10);
        CamelContext context = pipeline.context();
        context.getRouteController().stopRoute(ROUTE);
        writer.close();
        // the tail refuses to start when a directory of its glob is a file
        Path logs = pipeline.logs();
        Files.move(logs, dir.resolve("logs.moved"));
        Files.writeString(logs, "not a directory");

        assertThatThrownBy(() -> context.getRouteController().startRoute(ROUTE)).hasMessageContaining("not a directory");
        awaitReadiness(503, "\"route:" + ROUTE + "\",\"status\":\"DOWN\"");

        Files.delete(logs);
        Files.move(dir.resolve("logs.moved"), logs);
        context.getRouteController().startRoute(ROUTE);
        awaitReadiness(200, "");
    }

    @Test
    void tailWaitingForASlowSinkIsNotAPauseAndStaysReady() throws Exception {
        long budget = 1024 * 1024;
        startPipeline(Map.of("maxInflightBytes", String.valueOf(budget)));
        hec.faults().indexingDelay(Duration.ofSeconds(5)); // requests are accepted, acks come late
        writer.write(30_000); // about 3 MiB, three times the budget
        await().atMost(WAIT).until(() -> pipeline.consumer().inflightBytes() >= budget);

        awaitReadiness(200, "");
        assertThat(pipeline.context().getRouteController().getRouteStatus(ROUTE).isStarted()).isTrue();
        hec.faults().indexingDelay(Duration.ZERO);
        await().atMost(Duration.ofSeconds(60)).until(() -> hec.distinctSeqCount() == writer.written());
    }

    private void delivered(int lines) throws Exception {
        long target = writer.written() + lines;
        writer.write(lines);
        await().atMost(WAIT).until(() -> hec.distinctSeqCount() == target);
    }

    /**
     * Waits until readiness answers {@code status} with {@code body} in it: health reflects a change a moment
     * after it (a route's state, a probe of the collector), which a loaded machine stretches.
     */
    private void awaitReadiness(int status, String body) {
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            HttpResponse<String> response = get();
            assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
            assertThat(response.body()).contains(body);
        });
    }

    private int status() throws Exception {
        return get().statusCode();
    }

    private HttpResponse<String> get() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(ready + "?exposureLevel=full"))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Camel's management server as camel-main starts it from camel.management.*, on a free port. */
    private static int managementServer(CamelContext context) throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ManagementHttpServer server = new ManagementHttpServer();
        server.setCamelContext(context);
        server.setHost("127.0.0.1");
        server.setPort(port);
        server.setPath("/observe");
        server.setHealthPath("/health");
        server.setHealthCheckEnabled(true);
        context.addService(server, true, true);
        return port;
    }
}
