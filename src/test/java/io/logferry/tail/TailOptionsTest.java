package io.logferry.tail;

import io.logferry.metrics.Meters;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class TailOptionsTest {

    /** Each step runs Camel routes and SQLite on a machine that may be busy with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    @Test
    void readFromTailSkipsWhatExistedAtStartButReadsFilesThatAppearLater() throws Exception {
        try (LogWriter old = new LogWriter(dir.resolve("logs/old.log"), "old")) {
            old.write(100);
            try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("readFrom", "tail"))) {
                old.write(7);
                try (LogWriter fresh = new LogWriter(dir.resolve("logs/new.log"), "new")) {
                    fresh.write(5);
                }
                await().atMost(WAIT).until(() -> pipeline.storedLines() == 12);
                assertThat(pipeline.storeQuery("SELECT min(byte_offset) FROM lf_store_events WHERE hostname = 'old'"))
                        .isPositive();
                assertThat(pipeline.storeQuery("SELECT count(*) FROM lf_store_events WHERE hostname = 'new'"))
                        .isEqualTo(5);
            }
        }
    }

    @Test
    void overlongLineIsSplitIntoRowsThatTogetherHoldItWhole() throws Exception {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        String longLine = "x".repeat(150_000);
        Files.writeString(log, "first\n" + longLine + "\nlast\n");
        try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("maxLineLength", "65536"))) {
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 5);
            assertThat(pipeline.storeQuery("SELECT sum(length(raw)) FROM lf_store_events WHERE raw LIKE 'x%'"))
                    .isEqualTo(150_000);
            assertThat(pipeline.storeQuery("SELECT max(length(raw)) FROM lf_store_events")).isEqualTo(65_536);
            assertThat(pipeline.storeQuery("SELECT byte_offset FROM lf_store_events WHERE raw = 'last'"))
                    .isEqualTo(6 + 150_001);
        }
    }

    @Test
    void truncatedLinesAreCountedInTheTailMeterAcrossRouteRestarts() throws Exception {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "first\n" + "x".repeat(5000) + "\nmiddle\n" + "y".repeat(3000) + "\n");
        try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("maxLineLength", "1000",
                "longLines", "truncate"))) {
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 4);
            assertThat(truncated(pipeline)).isEqualTo(2);
            assertThat(pipeline.storeQuery("SELECT max(length(raw)) FROM lf_store_events")).isEqualTo(1000);

            pipeline.context().getRouteController().stopRoute(TestPipeline.ROUTE_ID);
            pipeline.context().getRouteController().startRoute(TestPipeline.ROUTE_ID);
            Files.writeString(log, "z".repeat(2000) + "\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 5);
            assertThat(truncated(pipeline)).isEqualTo(3);
        }
    }

    private static double truncated(TestPipeline pipeline) {
        return pipeline.meters().get(Meters.TAIL_LINES_TRUNCATED).tag(Meters.ROUTE, TestPipeline.ROUTE_ID)
                .counter().count();
    }

    @Test
    void slowSinkMakesTheTailWaitWithinItsInflightBudget() throws Exception {
        long budget = 1024 * 1024;
        try (LogWriter writer = new LogWriter(dir.resolve("logs/app.log"))) {
            writer.write(10);
            try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("maxInflightBytes", String.valueOf(budget)))) {
                await().atMost(WAIT).until(() -> pipeline.storedLines() == 10);
                try (Connection blocker = DriverManager.getConnection("jdbc:sqlite:" + pipeline.eventsDb());
                     Statement st = blocker.createStatement()) {
                    st.execute("BEGIN EXCLUSIVE"); // the store cannot write until this ends
                    for (int i = 0; i < 60; i++) {
                        writer.write(1000); // about 8 MiB, far more than the budget
                    }
                    await().atMost(WAIT).until(() -> pipeline.consumer().inflightBytes() > 0);
                    // the tail stops reading: at most the budget plus one read batch (1 MiB) in memory. during()
                    // only needs one quiet 2 s stretch within atMost, so failFast catches any excess on the way
                    long limit = budget + 1024 * 1024;
                    await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                            .failFast("over the budget", () -> pipeline.consumer().inflightBytes() > limit)
                            .until(() -> pipeline.consumer().inflightBytes() <= limit);
                    st.execute("COMMIT");
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> pipeline.storedLines() == 60_010);
            }
        }
    }
}
