package io.logferry.sink.datadog;

import io.logferry.deadletter.DeadLetterStore;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.datadog.DatadogLog;
import io.logferry.testsupport.datadog.FakeDatadogServer;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped tail-to-datadog template against a fake intake that follows Datadog's documented API. */
class DatadogSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private FakeDatadogServer server;
    private LogWriter writer;

    @BeforeEach
    void start() throws Exception {
        writer = new LogWriter(dir.resolve("logs/app.log"));
        server = FakeDatadogServer.builder().start();
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        server.close();
    }

    private TestPipeline pipeline(Map<String, String> params) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("url", server.url().toString());
        all.put("apiKey", FakeDatadogServer.DEFAULT_API_KEY);
        all.put("batchLines", "500");
        all.put("maxEntries", "100");
        all.putAll(params);
        return TestPipeline.start(dir, "tail-to-datadog", all);
    }

    private void awaitCommittedToEnd(TestPipeline pipeline) throws Exception {
        String end = String.valueOf(Files.size(dir.resolve("logs/app.log")));
        await().atMost(WAIT).until(() -> end.equals(pipeline.committedOffset()));
    }

    private static HealthCheck.State health(TestPipeline pipeline) {
        return HealthCheckHelper.invoke(pipeline.context(), "sink:datadog-tail-to-datadog", Map.of()).orElseThrow()
                .getState();
    }

    @Test
    void deliversEveryLineOnceWithItsSyslogFieldsGzippedAndCommitsAfterAcceptance() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of("tags", "env:test", "service", "billing"))) {
            writer.write(2000);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 2000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateMessageCount()).isZero();
            assertThat(server.requests()).allSatisfy(r -> assertThat(r.logsStored()).isLessThanOrEqualTo(100));
            assertThat(server.lastHeaders().get("Content-Encoding")).containsExactly("gzip");
            DatadogLog first = server.logs().stream().filter(l -> l.message().endsWith("seq=0")).findFirst()
                    .orElseThrow();
            assertThat(first.message()).isEqualTo("payload for line seq=0");
            assertThat(first.attribute("ddsource")).isEqualTo("logferry");
            assertThat(first.attribute("ddtags")).isEqualTo("env:test");
            assertThat(first.attribute("service")).isEqualTo("billing");
            assertThat(first.attribute("hostname")).isEqualTo("host-a");
            assertThat(first.attribute("status")).isEqualTo("info");
            assertThat(first.json().get("timestamp").asLong()).isEqualTo(1795428000000L);
            assertThat(first.json().at("/syslog/appname").asText()).isEqualTo("app");
            assertThat(first.json().at("/syslog/structured_data").asText()).isEqualTo("[meta@1 seq=\"0\"]");
            assertThat(first.json().at("/logferry/offset").asLong()).isZero();
        }
    }

    @Test
    void aLatin1LineIsSentWithReplacementCharactersAndCounted() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            Files.write(dir.resolve("logs/app.log"), new byte[] {'c', 'a', 'f', (byte) 0xE9, ' ', 'o', 'k', '\n'},
                    java.nio.file.StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> server.logCount() == 1);
            assertThat(server.messages()).containsExactly("caf\uFFFD ok");
            assertThat(pipeline.meters().get("logferry.sink.lines.replaced").counter().count()).isEqualTo(1);
        }
    }

    @Test
    void aRefusedLogIsFoundByBisectingAndDeadLetteredAloneWhileTheOthersAreDelivered() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            server.faults().rejectMessagesContaining("seq=137");
            writer.write(300);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 299);
            awaitCommittedToEnd(pipeline);
            DeadLetterStore deadLetters = pipeline.context().getRegistry().lookupByNameAndType("deadLetters",
                    DeadLetterStore.class);
            assertThat(deadLetters.list(10)).singleElement()
                    .satisfies(d -> assertThat(d.letter().line().text()).isEqualTo(LogWriter.line(137)));
            assertThat(server.duplicateMessageCount()).isZero();
            assertThat(server.messages()).doesNotContain("payload for line seq=137");
        }
    }

    @Test
    void passingFailuresAreRetriedWithoutLossOrDuplicates() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            server.faults().internalErrors(2);
            server.faults().resetConnections(2);
            server.faults().requestTimeouts(1);
            writer.write(1000);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 1000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateMessageCount()).isZero();
            assertThat(server.responsesByStatus()).containsKeys(500, 408);
        }
    }

    @Test
    void aRetryAfterHoldsTheNextRequestBackForThatLong() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of("concurrency", "1"))) {
            writer.write(10);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 10);
            server.faults().tooManyRequests(1, Duration.ofSeconds(2));
            long before = System.nanoTime();
            writer.write(10);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 20);
            assertThat(Duration.ofNanos(System.nanoTime() - before)).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
            awaitCommittedToEnd(pipeline);
        }
    }

    @Test
    void aRefusedKeyHoldsTheLinesAndTurnsReadinessDownUntilTheKeyWorksAgain() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            server.faults().disableKey(FakeDatadogServer.DEFAULT_API_KEY);
            writer.write(100);
            await().atMost(WAIT).until(() -> health(pipeline) == HealthCheck.State.DOWN);
            assertThat(server.logCount()).isZero();
            assertThat(pipeline.committedOffset()).isNull();
            server.faults().enableKey(FakeDatadogServer.DEFAULT_API_KEY);
            await().atMost(WAIT).until(() -> server.distinctMessageCount() == 100);
            awaitCommittedToEnd(pipeline);
            await().atMost(WAIT).until(() -> health(pipeline) == HealthCheck.State.UP);
        }
    }

    @Test
    void anOutageOpensTheCircuitSoTheIntakeGetsFewRequestsAndNothingIsLost() throws Exception {
        // small batches, each one request: the count of requests is the count of batches sent
        try (TestPipeline pipeline = pipeline(Map.of("circuitMinimumCalls", "4", "circuitOpenFor", "5000",
                "batchLines", "10", "maxEntries", "1000"))) {
            server.faults().failFor(Duration.ofSeconds(30));
            writer.write(200);
            await().atMost(WAIT).until(() -> circuitState(pipeline) == 1);
            // what was in flight when the circuit opened has been sent; from now on only probes get through
            long atOpen = server.faults().requestsDuringOutage();
            await().atMost(Duration.ofSeconds(60)).until(() -> server.distinctMessageCount() == 200);
            awaitCommittedToEnd(pipeline);
            // closed, the batches would be tried again and again for the rest of the 30 s (hundreds of requests);
            // open, one probe batch gets through every 5 s
            assertThat(server.faults().requestsDuringOutage() - atOpen).isBetween(1L, 8L);
            assertThat(server.duplicateMessageCount()).isZero();
            assertThat(pipeline.deadLetters()).isZero();
        }
    }

    private static double circuitState(TestPipeline pipeline) {
        return pipeline.meters().find("logferry.sink.circuit.state").gauge().value();
    }
}
