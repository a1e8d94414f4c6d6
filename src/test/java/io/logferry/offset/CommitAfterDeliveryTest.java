package io.logferry.offset;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** DESIGN invariant 1 through the shipped tail-to-store template: offsets move only after the store confirmed. */
class CommitAfterDeliveryTest {

    /** Each step runs Camel routes and SQLite on a machine that may be busy with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static String committedOffset(TestPipeline pipeline) {
        String fingerprint = pipeline.consumer().followedFiles().keySet().iterator().next();
        return pipeline.offsets().getState(TestPipeline.ROUTE_ID + "/" + fingerprint);
    }

    @Test
    void failedAggregatedBatchLeavesTheOffsetWhereItWasAndIsReadAgain() throws Exception {
        try (TestPipeline pipeline = TestPipeline.start(dir); LogWriter writer = new LogWriter(dir.resolve("logs/app.log"))) {
            writer.write(10);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 10);
            long stored = Files.size(dir.resolve("logs/app.log"));
            await().atMost(WAIT).until(() -> String.valueOf(stored).equals(committedOffset(pipeline)));

            // the sink starts failing
            TestPipeline.execute(pipeline.eventsDb(), "CREATE TRIGGER refuse BEFORE INSERT ON lf_store_events"
                    + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
            NotifyBuilder failed = new NotifyBuilder(pipeline.context()).whenFailed(2).create();
            writer.write(10);
            assertThat(failed.matches(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            // the incoming exchanges completed when they joined the group; the offset must not have moved
            assertThat(committedOffset(pipeline)).isEqualTo(String.valueOf(stored));

            // the sink recovers: the same lines are read again from the committed offset and stored once
            TestPipeline.execute(pipeline.eventsDb(), "DROP TRIGGER refuse");
            long size = Files.size(dir.resolve("logs/app.log"));
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 20);
            await().atMost(WAIT).until(() -> String.valueOf(size).equals(committedOffset(pipeline)));
            assertThat(pipeline.storeQuery("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(20);
        }
    }

    @Test
    void stoppingMidGroupFlushesThePartialBatchAndCommitsIt() throws Exception {
        Path log = dir.resolve("logs/app.log");
        Map<String, String> neverComplete = Map.of("batchTimeout", "600000", "batchLines", "1000000");
        try (LogWriter writer = new LogWriter(log)) {
            TestPipeline pipeline = TestPipeline.start(dir, neverComplete);
            writer.write(25);
            // the lines were read and sit in the aggregator's open group, not yet stored
            await().atMost(WAIT).until(() -> pipeline.consumer().inflightBytes() == Files.size(log));
            assertThat(pipeline.storedLines()).isZero();
            pipeline.close();

            assertThat(TestPipeline.queryLong(pipeline.eventsDb(), "SELECT count(*) FROM lf_store_events")).isEqualTo(25);
            SqliteOffsetStore offsets = new SqliteOffsetStore(pipeline.offsetsDb());
            offsets.start();
            try {
                assertThat(TestPipeline.queryLong(pipeline.eventsDb(), "SELECT max(byte_offset) FROM lf_store_events"))
                        .isPositive();
                assertThat(offsetsValue(offsets)).isEqualTo(Files.size(log));
            } finally {
                offsets.stop();
            }
        }
    }

    @Test
    void restartResumesAtTheExactByteAndStoresEveryLineOnceInOrder() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log)) {
            writer.write(100);
            try (TestPipeline first = TestPipeline.start(dir)) {
                await().atMost(WAIT).until(() -> first.storedLines() == 100);
            }
            long sizeAtStop = Files.size(log);
            writer.write(100);
            try (TestPipeline second = TestPipeline.start(dir)) {
                assertThat(second.consumer().followedFiles().values()).containsExactly(sizeAtStop);
                await().atMost(WAIT).until(() -> second.storedLines() == 200);
                assertThat(second.storeQuery("SELECT count(DISTINCT byte_offset) FROM lf_store_events")).isEqualTo(200);
                // ids follow file order: the second run appended exactly the new lines, in order
                assertThat(second.storeQuery("SELECT count(*) FROM lf_store_events a JOIN lf_store_events b"
                        + " ON b.id = a.id + 1 WHERE b.byte_offset <= a.byte_offset")).isZero();
            }
        }
    }

    private static long offsetsValue(SqliteOffsetStore offsets) {
        return Long.parseLong(onlyValue(offsets, TestPipeline.ROUTE_ID + "/"));
    }

    private static String onlyValue(SqliteOffsetStore offsets, String prefix) {
        return offsets.keys().stream().filter(k -> k.startsWith(prefix)).map(offsets::getState)
                .reduce((a, b) -> { throw new AssertionError("more than one file"); }).orElseThrow();
    }
}
