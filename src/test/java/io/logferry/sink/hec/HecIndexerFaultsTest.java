package io.logferry.sink.hec;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
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

/**
 * The HEC sink when indexers misbehave as real ones do (issue "HEC under indexer faults"): a rejected request
 * that kept nothing, an indexer restart that forgets its channels, acknowledgements that never come, and an
 * outage longer than the redelivery budget. Nothing unconfirmed counts as delivered, nothing waits forever.
 */
class HecIndexerFaultsTest {

    private static final String TOKEN = "11111111-2222-3333-4444-555555555555";
    private static final Duration WAIT = Duration.ofSeconds(30);

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

    private TestPipeline pipeline(Map<String, String> params, Map<String, String> properties) throws Exception {
        server = FakeHecServer.builder().token(TOKEN).ack(true).start();
        Map<String, String> all = new HashMap<>();
        all.put("url", server.url().toString());
        all.put("token", TOKEN);
        all.put("ack", "true");
        all.put("ackPollInterval", "50");
        all.put("batchLines", "500");
        all.put("maxEvents", "100");
        all.putAll(params);
        return TestPipeline.start(dir, "tail-to-hec", all, properties);
    }

    private TestPipeline pipeline(Map<String, String> params) throws Exception {
        return pipeline(params, Map.of());
    }

    private void awaitCommittedToEnd(TestPipeline pipeline) throws Exception {
        String end = String.valueOf(Files.size(dir.resolve("logs/app.log")));
        await().atMost(WAIT).until(() -> end.equals(pipeline.committedOffset()));
    }

    @Test
    void aRejectedRequestWhosePrefixWasNotIndexedIsSentAgainWithoutTheBadEvent() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            server.faults().invalidEventInNextRequest(53, false); // the collector kept nothing of the request
            writer.write(300);
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 299);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).isZero();
        }
    }

    @Test
    void aRejectedRequestWhosePrefixWasIndexedDuplicatesAtMostThatPrefix() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of())) {
            server.faults().invalidEventInNextRequest(53, true);
            writer.write(300);
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 299);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).isLessThanOrEqualTo(53);
        }
    }

    @Test
    void anIndexerRestartWithAcksPendingIsNoticedAndTheirRequestsAreSentAgain() throws Exception {
        // an ack timeout far beyond the test: only noticing the restart can deliver the lost requests
        try (TestPipeline pipeline = pipeline(Map.of("ackTimeout", "600000", "concurrency", "1"))) {
            server.faults().indexingDelay(Duration.ofSeconds(60)); // accepted, acknowledged only much later
            writer.write(500);
            await().atMost(WAIT).until(() -> server.requestCount() >= 5);
            long lost = server.restart(); // the accepted requests die with the indexer
            assertThat(lost).isPositive();
            server.faults().indexingDelay(Duration.ZERO);

            writer.write(500);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 1000);
            awaitCommittedToEnd(pipeline);
        }
    }

    @Test
    void anIndexerDownWhileAcksArePendingIsNoticedEvenWithNothingMoreToSend() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of("ackTimeout", "600000", "concurrency", "1"))) {
            server.faults().indexingDelay(Duration.ofSeconds(60));
            writer.write(300);
            await().atMost(WAIT).until(() -> server.requestCount() >= 3);
            server.crash();
            server.faults().indexingDelay(Duration.ZERO);
            server.recover();
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 300);
            awaitCommittedToEnd(pipeline);
        }
    }

    @Test
    void acksThatNeverComeAreResentWithGrowingWaitsThenHeldAndReported() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of("ackTimeout", "300", "maxAckResends", "2", "batchLines", "100"))) {
            server.faults().acksNeverTrue(true);
            writer.write(100); // one request
            // sent, then resent after 300 ms and again after 600 more: three requests, and then no more
            await().atMost(WAIT).until(() -> server.requestCount() == 3);
            await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5))
                    .until(() -> server.requestCount() == 3);
            HealthCheck.Result health = sinkHealth(pipeline);
            assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
            assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains("1 request(s) unacknowledged for").contains(server.url().toString()));
            assertThat(pipeline.committedOffset()).isNull();
            assertThat(pipeline.meters().get("logferry.hec.unacknowledged.requests").gauge().value()).isEqualTo(1);

            // the operator fixes the indexers and restarts the route: the held lines are read and sent again
            server.faults().acksNeverTrue(false);
            pipeline.context().getRouteController().stopRoute("tail-to-hec", 5, java.util.concurrent.TimeUnit.SECONDS);
            pipeline.context().getRouteController().startRoute("tail-to-hec");
            awaitCommittedToEnd(pipeline);
            await().atMost(WAIT).until(() -> sinkHealth(pipeline).getState() == HealthCheck.State.UP);
        }
    }

    @Test
    void afterSpentRetriesTheLinesAreReadAgainOnlyOnceEveryEarlierAttemptHasEnded() throws Exception {
        Map<String, String> fastRetries = Map.of("logferry.redelivery.maximum-redeliveries", "2",
                "logferry.redelivery.initial-delay", "200", "logferry.redelivery.maximum-delay", "400");
        try (TestPipeline pipeline = pipeline(Map.of("ack", "false", "batchLines", "100", "batchTimeout", "50"),
                fastRetries)) {
            server.crash(); // an outage longer than the redelivery budget
            writer.write(1000); // ten batches, each retried on its own schedule
            // let the first batches spend their retries while later ones are still being retried
            await().atMost(WAIT).until(() -> meter(pipeline, "logferry.events.failed") >= 100);
            server.recover();
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 1000);
            awaitCommittedToEnd(pipeline);
            assertThat(server.duplicateCount()).as("no range was in flight twice").isZero();
        }
    }

    @Test
    void afterAFailedBatchOnlyItsLinesAreSentAgainNotTheLaterOnesTheCollectorTook() throws Exception {
        Map<String, String> noRetries = Map.of("logferry.redelivery.maximum-redeliveries", "0");
        try (TestPipeline pipeline = pipeline(Map.of("ack", "false", "batchLines", "100", "maxEvents", "100",
                "concurrency", "1"), noRetries)) {
            server.faults().busy(1); // the first request fails for good; the ones after it are indexed
            writer.write(300);
            await().atMost(WAIT).until(() -> server.distinctSeqCount() == 300);
            awaitCommittedToEnd(pipeline);
            assertThat(server.responsesByStatus()).containsKey(503);
            // the lines after the failed batch were confirmed before it was read again: they are skipped
            assertThat(server.duplicateCount()).isZero();
        }
    }

    @Test
    void aStalledSinkTurnsReadinessDownWithTheAgeOfItsOldestLine() throws Exception {
        try (TestPipeline pipeline = pipeline(Map.of("ackTimeout", "600000"),
                Map.of("logferry.stall.threshold", "1"))) {
            server.faults().acksNeverTrue(true);
            writer.write(10);
            await().atMost(WAIT).until(() -> stallHealth(pipeline).getState() == HealthCheck.State.DOWN);
            assertThat(stallHealth(pipeline).getMessage()).hasValueSatisfying(m -> assertThat(m)
                    .contains("oldest unconfirmed line of route tail-to-hec has waited"));
            assertThat(pipeline.meters().get("logferry.sink.oldest.unconfirmed").tag("sink", "hec").gauge().value())
                    .isGreaterThan(1);
        }
    }

    private static double meter(TestPipeline pipeline, String name) {
        var counter = pipeline.meters().find(name).counter();
        return counter == null ? 0 : counter.count();
    }

    private static HealthCheck.Result sinkHealth(TestPipeline pipeline) {
        return health(pipeline, "sink:hec-tail-to-hec");
    }

    private static HealthCheck.Result stallHealth(TestPipeline pipeline) {
        return health(pipeline, "stall:tail-to-hec");
    }

    private static HealthCheck.Result health(TestPipeline pipeline, String id) {
        return HealthCheckHelper.invoke(pipeline.context(), id, Map.of()).orElseThrow();
    }
}
