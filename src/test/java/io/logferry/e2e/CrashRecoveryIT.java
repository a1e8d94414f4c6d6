package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The most important test: the real jar is killed with SIGKILL at random moments while an application
 * keeps writing (and rotating) its log, and restarted each time. In the end the store holds every line
 * written, exactly once.
 */
class CrashRecoveryIT {

    private static final int KILLS = 24;

    @TempDir
    Path work;

    @Test
    void everyLineIsStoredExactlyOnceAcrossRepeatedKillNine() throws Exception {
        JarProcess.installDefaultConfig(work);
        // rotated files stay in the glob, so a rotation while logferry is down is caught up after the restart
        JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log*", "batchTimeout", "100"));
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("CrashRecoveryIT seed " + seed);
        Path events = work.resolve("data/events.db");

        LogWriter writer = new LogWriter(work.resolve("logs/app.log"));
        try (BackgroundWriter appender = new BackgroundWriter(writer, 20, 10)) {
            for (int i = 0; i < KILLS; i++) {
                try (JarProcess logferry = JarProcess.start(work)) {
                    if (i % 4 == 3) {
                        // some kills land during start-up
                        Thread.sleep(random.nextInt(1500));
                    } else {
                        long before = TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events");
                        await().atMost(Duration.ofSeconds(60))
                                .until(() -> TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events") > before);
                        Thread.sleep(random.nextInt(1200)); // a random moment during delivery
                    }
                    logferry.kill();
                }
                if (i % 6 == 5) {
                    // rename + create, sometimes while logferry is down; the application appends to the
                    // renamed file for a moment before it reopens its log
                    writer.renameTo("app.log." + i);
                    writer.write(50);
                    writer.reopen();
                }
            }
        }
        writer.close();
        long written = writer.written();
        System.out.println("CrashRecoveryIT wrote " + written + " lines, killed logferry " + KILLS + " times");

        try (JarProcess logferry = JarProcess.start(work)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events") >= written);
            assertThat(logferry.terminate(60)).isZero();
        }
        assertThat(TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events")).isEqualTo(written);
        assertThat(TestPipeline.queryLong(events, "SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(written);
        assertThat(TestPipeline.queryLong(events,
                "SELECT max(CAST(substr(raw, instr(raw, 'seq=\"') + 5) AS INTEGER)) FROM lf_store_events"))
                .isEqualTo(written - 1);
        assertThat(JarProcess.outputOf(work)).doesNotContain("could not start");
    }
}
