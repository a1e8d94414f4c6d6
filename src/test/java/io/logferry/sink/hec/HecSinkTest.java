package io.logferry.sink.hec;

import io.logferry.deadletter.DeadLetterStore;
import io.logferry.offset.UnconfirmedBatches;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
import io.logferry.testsupport.hec.HecEvent;
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
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped tail-to-hec template against a protocol-true HEC server, one scenario per HEC behaviour. */
class HecSinkTest {

    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private FakeHecServer server;
    private LogWriter writer;

    @BeforeEach
    void startWriter() throws Exception {
        writer = new LogWriter(dir.resolve("logs/app.log"));
    }

    @AfterEach
    void stop() throws Exception {
        writer.close();
        if (server != null) {
            server.close();
        }
    }

    private TestPipeline pipeline(boolean ack, Map<String, String> params) throws Exception {
        server = FakeHecServer.builder().token(TOKEN).ack(ack).start();
        Map<String, String> all = new HashMap<>();
        all.put("url", server.url().toString());
        all.put("token", TOKEN);
        all.put("ack", String.valueOf(ack));
        all.put("ackPollInterval", "50");
        all.put("batchLines", "500");
        all.put("maxEvents", "100");
        all.putAll(params);
        return TestPipeline.start(dir, "tail-to-hec", all);
    }

    private long fileSize() throws Exception {
        return Files.size(dir.resolve("logs/app.log"));
    }

    private void awaitCommittedToEnd(TestPipeline pipeline) throws Exception {
        String end = String.valueOf(fileSize());
        await().atMost(WAIT).until(() -> end.equals(pipeline.committedOffset()));
    }

    @Test
    void deliversEveryLineOnceWithTimeAndMetadataAndCommitsAfterSuccess() throws Exception {
        try (TestPipeline pipeline = pipeline(false, Map.of("sourcetype", "rfc5424", "index", "main"))) {
            writer.write(3000);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 3000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).isZero();
            HecEvent first = eventOf(LogWriter.line(0));
            assertThat(first.event()).isEqualTo(LogWriter.line(0));
            assertThat(first.time()).isEqualByComparingTo("1795428000.000");
            assertThat(first.sourcetype()).isEqualTo("rfc5424");
            assertThat(first.index()).isEqualTo("main");
            assertThat(first.source()).isEqualTo(dir.resolve("logs/app.log").toString());
            assertThat(first.host()).isNotBlank();
        }
    }

    @Test
    void offsetsWaitForTheIndexerAcknowledgementWhileSendingGoesOn() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of())) {
            server.faults().indexingDelay(Duration.ofSeconds(3));
            writer.write(2000);
            // every request is sent (20 of them) while the first acks are still pending: acks are pipelined
            await().atMost(WAIT).until(() -> server.requestCount() >= 20);
            assertThat(pipeline.committedOffset()).isNull();
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 2000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).isZero();
            assertThat(server.events()).extracting(HecEvent::channel).doesNotContainNull();
        }
    }

    @Test
    void aLostAcknowledgementMeansTheRequestIsSentAgain() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of("ackTimeout", "1000"))) {
            server.faults().loseBeforeIndexing(2);
            writer.write(1000);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 1000);
            awaitCommittedToEnd(pipeline);
            // the lost requests were never indexed, so resending them duplicated nothing
            assertThat(server.duplicateCount()).isZero();
        }
    }

    @Test
    void anInvalidEventIsDeadLetteredAloneAndTheRestDelivered() throws Exception {
        try (TestPipeline pipeline = pipeline(false, Map.of())) {
            server.faults().invalidEventInNextRequest(7, false); // nothing of that request is indexed
            writer.write(300);
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 299);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).isZero();
            // the first request to arrive had its event 7 refused: that line is the one dead letter
            var letter = deadLetterStore(pipeline).list(10).get(0).letter();
            long missing = java.util.stream.LongStream.range(0, 300).filter(seq -> !server.hasSeq(seq)).findFirst()
                    .orElseThrow();
            assertThat(letter.line().text()).isEqualTo(LogWriter.line(missing));
            assertThat(letter.reason()).contains("code 6").contains("Invalid data format");
            assertThat(letter.routeId()).isEqualTo("tail-to-hec");
            assertThat(letter.sink()).startsWith("hec:" + server.url());
        }
    }

    @Test
    void aBatchWithAnInvalidEventCommitsOnlyAfterTheResentRestIsAcknowledged() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of())) {
            server.faults().invalidEventInNextRequest(3);
            server.faults().indexingDelay(Duration.ofSeconds(3)); // the resend is accepted, its ack comes late
            writer.write(20);
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            String end = String.valueOf(fileSize());

            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(2))
                    .until(() -> !end.equals(pipeline.committedOffset()));
            server.faults().indexingDelay(Duration.ZERO);
            awaitCommittedToEnd(pipeline);
            assertThat(server.distinctSeqCount()).isEqualTo(19);
            UnconfirmedBatches unconfirmed = pipeline.context().getRegistry().lookupByNameAndType(
                    "unconfirmedBatches", UnconfirmedBatches.class);
            await().atMost(WAIT).until(() -> unconfirmed.inFlightBatches() == 0);
            assertThat(unconfirmed.unconfirmedLines()).as("each batch completed once").isZero();
        }
    }

    @Test
    void aDeadLetteredEventReplayedThroughItsRouteReachesTheCollectorOnceAndLeavesTheStore() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of())) {
            server.faults().invalidEventInNextRequest(3, false);
            writer.write(50);
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 49);

            // the collector takes it now (the fault was for one request): resend it through tail-to-hec
            assertThat(deadLetterStore(pipeline).replay("tail-to-hec", "")).startsWith("1 dead letter(s) queued");

            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 0);
            assertThat(server.distinctSeqCount()).isEqualTo(50);
            assertThat(server.duplicateCount()).isZero();
        }
    }

    @Test
    void aRequestTooLargeForTheCollectorIsSplit() throws Exception {
        server = FakeHecServer.builder().token(TOKEN).maxContentLength(5_000).start();
        Map<String, String> params = Map.of("url", server.url().toString(), "token", TOKEN, "maxEvents", "1000",
                "batchLines", "1000");
        try (TestPipeline pipeline = TestPipeline.start(dir, "tail-to-hec", params)) {
            writer.write(1000);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 1000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.responsesByStatus()).containsKey(413);
            assertThat(server.duplicateCount()).isZero();
        }
    }

    @Test
    void busyOverloadedAndResettingCollectorsLoseNothing() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of())) {
            server.faults().busy(3);
            server.faults().tooManyRequests(2);
            server.faults().internalErrors(2);
            server.faults().resetConnections(2);
            writer.write(2000);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 2000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.responsesByStatus()).containsKeys(503, 429, 500);
        }
    }

    @Test
    void aDisabledTokenHoldsTheLinesAndTurnsTheSinkUnhealthyUntilItWorksAgain() throws Exception {
        try (TestPipeline pipeline = pipeline(false, Map.of())) {
            writer.write(100);
            awaitCommittedToEnd(pipeline);
            String committed = pipeline.committedOffset();

            server.faults().disableToken(TOKEN);
            writer.write(100);
            await().atMost(WAIT).until(() -> server.responsesByStatus().getOrDefault(403, 0L) >= 2);
            HealthCheck.Result health = sinkHealth(pipeline);
            assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Token disabled")
                    .contains("token"));
            assertThat(pipeline.committedOffset()).isEqualTo(committed);
            assertThat(pipeline.deadLetters()).isZero();

            server.faults().enableToken(TOKEN);
            await().atMost(Duration.ofSeconds(40)).until(() -> server.distinctSeqCount() == 200);
            awaitCommittedToEnd(pipeline);
            await().atMost(WAIT).until(() -> sinkHealth(pipeline).getState() == HealthCheck.State.UP);
        }
    }

    @Test
    void anUnhealthyCollectorTurnsTheSinkHealthDown() throws Exception {
        try (TestPipeline pipeline = pipeline(false, Map.of())) {
            assertThat(sinkHealth(pipeline).getState()).isEqualTo(HealthCheck.State.UP);
            server.faults().unhealthy(true);
            HealthCheck.Result health = sinkHealth(pipeline);
            assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("503"));
        }
    }

    @Test
    void rawEndpointSendsTheLinesWithPerFileMetadataInTheQuery() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of("endpoint", "raw",
                "overrides", "app.log: sourcetype=app_raw, index=apps"))) {
            writer.write(500);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 500);
            awaitCommittedToEnd(pipeline);
            HecEvent first = eventOf(LogWriter.line(0));
            assertThat(first.endpoint()).isEqualTo(HecEvent.Endpoint.RAW);
            assertThat(first.event()).isEqualTo(LogWriter.line(0));
            assertThat(first.sourcetype()).isEqualTo("app_raw");
            assertThat(first.index()).isEqualTo("apps");
        }
    }

    @Test
    void sessionsRotateAfterTheConfiguredNumberOfRequests() throws Exception {
        try (TestPipeline pipeline = pipeline(true, Map.of("rotateSessionAfter", "2", "concurrency", "1"))) {
            writer.write(1000);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 1000);
            awaitCommittedToEnd(pipeline);
            Set<String> channels = server.events().stream().map(HecEvent::channel).collect(Collectors.toSet());
            // 10 requests of 100 events, a new session (and ack channel) every 2 requests
            assertThat(channels).hasSizeGreaterThanOrEqualTo(5);
        }
    }

    /** Requests travel concurrently, so events arrive in any order: find the one for this line. */
    private HecEvent eventOf(String line) {
        return server.events().stream().filter(e -> e.event().equals(line)).findFirst().orElseThrow();
    }

    private static HealthCheck.Result sinkHealth(TestPipeline pipeline) {
        return HealthCheckHelper.invoke(pipeline.context()).stream()
                .filter(r -> r.getCheck().getId().equals("sink:hec-tail-to-hec")).findFirst().orElseThrow();
    }

    private static DeadLetterStore deadLetterStore(TestPipeline pipeline) {
        return pipeline.context().getRegistry().lookupByNameAndType("deadLetters", DeadLetterStore.class);
    }
}
