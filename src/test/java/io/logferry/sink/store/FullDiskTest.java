package io.logferry.sink.store;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** The store's disk fills up: nothing is committed past what was stored, and everything arrives once there is room. */
class FullDiskTest {

    @TempDir
    Path dir;

    private Path storeDir;

    private static int run(String... command) throws IOException, InterruptedException {
        return new ProcessBuilder(command).inheritIO().start().waitFor();
    }

    @BeforeEach
    void mountSmallDisk() throws Exception {
        assumeThat(System.getProperty("user.name")).as("mounting a small tmpfs needs root").isEqualTo("root");
        storeDir = Files.createDirectories(dir.resolve("store"));
        assumeThat(run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", storeDir.toString()))
                .as("this machine cannot mount a tmpfs").isZero();
    }

    @AfterEach
    void unmount() throws Exception {
        if (storeDir != null) {
            run("umount", "-l", storeDir.toString());
        }
    }

    @Test
    void fullDiskHoldsLinesBackUntilThereIsRoomAndLosesNone() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log);
             TestPipeline pipeline = TestPipeline.start(dir, Map.of(
                     "storeUrl", "jdbc:sqlite:" + storeDir.resolve("events.db"), "batchLines", "500"))) {
            writer.write(30_000); // about 4 MB of lines: twice the disk
            long size = Files.size(log);
            // the store fills up; the tail keeps the rest in the file and the offset stays behind
            await().atMost(Duration.ofSeconds(30)).until(() -> pipeline.consumer().followedFiles().size() == 1);
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(20))
                    .until(() -> pipeline.consumer().followedFiles().values().iterator().next() < size);
            long storedWhileFull = TestPipeline.queryLong(storeDir.resolve("events.db"),
                    "SELECT count(*) FROM lf_store_events");
            assertThat(storedWhileFull).isLessThan(30_000);

            assertThat(run("mount", "-o", "remount,size=64m", storeDir.toString())).isZero();
            await().atMost(Duration.ofSeconds(60)).until(() -> TestPipeline.queryLong(storeDir.resolve("events.db"),
                    "SELECT count(*) FROM lf_store_events") == 30_000);
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> pipeline.consumer().followedFiles().values().iterator().next() == size);
            assertThat(TestPipeline.queryLong(storeDir.resolve("events.db"),
                    "SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(30_000);
        }
    }
}
