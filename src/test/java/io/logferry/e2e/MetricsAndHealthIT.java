package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.hec.FakeHecServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running jar serves Prometheus metrics and health on the management port, loopback only: a store route
 * that delivers and a HEC route whose token is refused, side by side.
 */
class MetricsAndHealthIT {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void scrapedMetricsCountDeliveriesAndReadinessFollowsTheSinks() throws Exception {
        try (FakeHecServer hec = FakeHecServer.builder().token("good-token").start()) {
            int port = freePort();
            JarProcess.installDefaultConfig(work);
            Files.writeString(work.resolve("config/application.properties"), "\ncamel.management.port = " + port
                    + "\nlogferry.redelivery.maximum-redeliveries = 1\nlogferry.redelivery.initial-delay = 50\n",
                    StandardOpenOption.APPEND);
            JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log"));
            Files.writeString(work.resolve("config/routes/hec.camel.yaml"), """
                    - templatedRoute:
                        routeTemplateRef: tail-to-hec
                        routeId: audit-to-hec
                        parameters:
                          - name: paths
                            value: logs/audit.log
                          - name: url
                            value: "%s"
                          - name: token
                            value: wrong-token
                    """.formatted(hec.url()));
            try (LogWriter app = new LogWriter(work.resolve("logs/app.log"));
                 LogWriter audit = new LogWriter(work.resolve("logs/audit.log"), "host-b");
                 JarProcess logferry = JarProcess.start(work)) {
                app.write(1234);
                audit.write(10);
                String base = "http://127.0.0.1:" + port + "/observe/";
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                        value(get(base + "metrics").body(), "logferry_events_sent_total",
                                "route=\"tail-to-store\",sink=\"store\"") == 1234);
                await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() ->
                        value(get(base + "metrics").body(), "logferry_events_failed_total",
                                "route=\"audit-to-hec\",sink=\"hec\"") >= 10);

                // a sink records a batch's meters one after another (the first batch also registers some), so
                // a scrape can fall between the counters awaited above and the rest: scrape until they all agree
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    String metrics = get(base + "metrics").body();
                    assertThat(value(metrics, "logferry_batches_sent_total",
                            "route=\"tail-to-store\",sink=\"store\"")).isPositive();
                    assertThat(value(metrics, "logferry_send_latency_seconds_count",
                            "route=\"tail-to-store\",sink=\"store\"")).isPositive();
                    assertThat(value(metrics, "logferry_sink_up", "route=\"tail-to-store\",sink=\"store\""))
                            .isEqualTo(1);
                    assertThat(value(metrics, "logferry_sink_up", "route=\"audit-to-hec\",sink=\"hec\"")).isZero();
                    assertThat(value(metrics, "logferry_retries_total", "route=\"audit-to-hec\""))
                            .as(metrics.lines().filter(l -> l.startsWith("logferry_")).toList().toString())
                            .isPositive();
                    assertThat(value(metrics, "logferry_tail_files", "route=\"tail-to-store\"")).isEqualTo(1);
                    // registered at route start, before any line is long enough to count
                    assertThat(value(metrics, "logferry_tail_lines_truncated_total", "route=\"tail-to-store\""))
                            .isZero();
                    // everything the store route read is committed; the refused HEC lines are still lag
                    assertThat(value(metrics, "logferry_tail_lag_bytes", "route=\"tail-to-store\"")).isZero();
                    assertThat(value(metrics, "logferry_tail_lag_bytes", "route=\"audit-to-hec\"")).isPositive();
                    assertThat(metrics).contains("camel_exchanges_total");
                });

                // readiness follows the HEC sink's state, which its own threads record: await it as well
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> ready = get(base + "health/ready");
                    assertThat(ready.statusCode()).as(ready.body()).isEqualTo(503);
                    assertThat(ready.body()).contains("DOWN");
                });
                assertThat(get(base + "health/live").statusCode()).isEqualTo(200);
                assertThat(JarProcess.outputOf(work)).contains("check the HEC token").doesNotContain("wrong-token");
            }
        }
    }

    /** The value of one Prometheus sample, {@code name{labels} value}, or -1 when absent. */
    private static double value(String exposition, String name, String labels) {
        String prefix = name + "{" + labels;
        return exposition.lines().filter(l -> l.startsWith(prefix) && (l.charAt(prefix.length()) == '}'
                        || l.charAt(prefix.length()) == ','))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).findFirst().orElse(-1);
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
