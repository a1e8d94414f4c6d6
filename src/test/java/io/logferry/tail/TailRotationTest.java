package io.logferry.tail;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Rotation while a writer keeps appending: every line ends up in the store exactly once. */
class TailRotationTest {

    private static final int LINES_PER_TICK = 50;

    @TempDir
    Path dir;

    private static void awaitWritten(LogWriter writer, long lines) {
        await().atMost(Duration.ofSeconds(20)).until(() -> writer.written() >= lines);
    }

    /** Rotating a file nobody has opened yet tests nothing: wait until lines written now are stored. */
    private static void awaitFollowing(TestPipeline pipeline, LogWriter writer) {
        long mark = writer.written() + 500;
        awaitWritten(writer, mark);
        await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.storedLines() >= mark);
    }

    private static void assertEveryLineStoredOnce(TestPipeline pipeline, long written) {
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedLines() >= written);
        } catch (RuntimeException e) {
            System.out.println("DEBUG stored=" + pipeline.storedLines() + " written=" + written + " minmissing="
                + pipeline.storeQuery("SELECT min(s) FROM (SELECT CAST(substr(raw, instr(raw, 'seq=\"') + 5) AS INTEGER) + 1 AS s FROM lf_store_events) WHERE s NOT IN (SELECT CAST(substr(raw, instr(raw, 'seq=\"') + 5) AS INTEGER) FROM lf_store_events)"));
            throw e;
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedLines() >= written);
        assertThat(pipeline.storedLines()).isEqualTo(written);
        assertThat(pipeline.storeQuery("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(written);
        assertThat(pipeline.storeQuery("SELECT max(CAST(substr(raw, instr(raw, 'seq=\"') + 5) AS INTEGER))"
                + " FROM lf_store_events")).isEqualTo(written - 1);
    }

    @Test
    void renameAndCreateWhileWriterAppendsStoresEveryLineOnce() throws Exception {
        Path log = dir.resolve("logs/app.log");
        LogWriter writer = new LogWriter(log);
        try (TestPipeline pipeline = TestPipeline.start(dir)) {
            try (BackgroundWriter steady = new BackgroundWriter(writer, LINES_PER_TICK, 5)) {
                for (int rotation = 1; rotation <= 3; rotation++) {
                    awaitFollowing(pipeline, writer);
                    writer.renameTo("app.log." + rotation); // out of the glob: drained from the open handle
                    long afterRename = writer.written();
                    awaitWritten(writer, afterRename + 300); // the application still writes to the renamed file
                    writer.reopen();
                }
                awaitWritten(writer, writer.written() + 2000);
            }
            writer.close();
            assertEveryLineStoredOnce(pipeline, writer.written());
            assertThat(Files.size(dir.resolve("logs/app.log.1"))).isPositive();
            assertThat(pipeline.storeQuery("SELECT count(DISTINCT fingerprint) FROM lf_store_lines"))
                    .as("one identity per file").isEqualTo(4);
        }
    }

    @Test
    void copytruncateWhileWriterAppendsStoresEveryLineOnce() throws Exception {
        Path log = dir.resolve("logs/app.log");
        LogWriter writer = new LogWriter(log);
        try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("paths", dir.resolve("logs") + "/app.log*"))) {
            try (BackgroundWriter steady = new BackgroundWriter(writer, LINES_PER_TICK, 5)) {
                for (int rotation = 1; rotation <= 3; rotation++) {
                    awaitFollowing(pipeline, writer);
                    writer.copyTruncate("app.log." + rotation);
                }
                awaitWritten(writer, writer.written() + 2000);
            }
            writer.close();
            assertEveryLineStoredOnce(pipeline, writer.written());
            assertThat(pipeline.storeQuery("SELECT count(DISTINCT fingerprint) FROM lf_store_lines"))
                    .as("each truncation starts new content").isEqualTo(4);
        }
    }

    @Test
    void fileDeletedWhileBeingReadIsDrainedFromTheOpenHandle() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log)) {
            for (int i = 0; i < 20; i++) {
                writer.write(10_000);
            }
        }
        try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("maxInflightBytes", "1048576", "batchLines", "500"))) {
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.storedLines() > 0);
            Files.delete(log);
            long storedAtDelete = pipeline.storedLines();
            assertThat(storedAtDelete).as("deleted before everything was read").isLessThan(200_000);
            assertEveryLineStoredOnce(pipeline, 200_000);
        }
    }

    @Test
    void followsHundredsOfFilesFromOneThread() throws Exception {
        int files = 300;
        for (int f = 0; f < files; f++) {
            try (LogWriter writer = new LogWriter(dir.resolve("logs/app-" + f + ".log"), "host-" + f)) {
                writer.write(20);
            }
        }
        int threadsBefore = Thread.activeCount();
        try (TestPipeline pipeline = TestPipeline.start(dir)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.storedLines() == files * 20L);
            assertThat(pipeline.consumer().followedFiles()).hasSize(files);
            assertThat(Thread.activeCount() - threadsBefore).isLessThan(20);
            // new files are picked up while running
            try (LogWriter late = new LogWriter(dir.resolve("logs/late.log"), "late")) {
                late.write(5);
            }
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.storedLines() == files * 20L + 5);
        }
    }

    @Test
    void lastLineWithoutNewlineIsHeldUntilCompleted() throws Exception {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, "first line\nsecond li");
        try (TestPipeline pipeline = TestPipeline.start(dir)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.storedLines() == 1);
            // the half line stays back for several polls
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10))
                    .until(() -> pipeline.storedLines() == 1);
            Files.writeString(log, "ne\n", java.nio.file.StandardOpenOption.APPEND);
            await().atMost(Duration.ofSeconds(20)).until(() -> pipeline.storedLines() == 2);
            assertThat(pipeline.storeQuery("SELECT count(*) FROM lf_store_events WHERE raw = 'second line'"))
                    .isEqualTo(1);
        }
    }
}
