package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.datadog.FakeDatadogServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar ships to the fake Datadog intake while it is killed with SIGKILL at random moments (seeded) and
 * restarted, with passing intake failures and a rotation in between: every line arrives at least once, and the
 * duplicates (logs the intake accepted before the killed process could commit them) stay within the in-flight
 * window of each kill.
 */
class DatadogCrashRecoveryIT {

    private static final int KILLS = 10;
    private static final int INFLIGHT_BYTES = 1 << 20;
    /** Lines the application writes every 10 ms (20: 2,000 lines/s). */
    private static final int LINES_PER_TICK = 20;

    @TempDir
    Path work;

    @Test
    void everyLineArrivesAtLeastOnceWithBoundedDuplicatesAcrossRepeatedKillNine() throws Exception {
        try (FakeDatadogServer intake = FakeDatadogServer.builder().retainLogs(false).start()) {
            JarProcess.installDefaultConfig(work);
            // the key comes from a property, as a user keeps it out of route files
            Files.writeString(work.resolve("config/application.properties"),
                    "\ndatadog.api-key = " + FakeDatadogServer.DEFAULT_API_KEY + "\n", StandardOpenOption.APPEND);
            JarProcess.writePipeline(work, "tail-to-datadog", Map.of("paths", "logs/app.log*", "url",
                    intake.url().toString(), "apiKey", "{{datadog.api-key}}", "batchTimeout", "100",
                    "maxInflightBytes", String.valueOf(INFLIGHT_BYTES)));
            long seed = System.nanoTime();
            Random random = new Random(seed);
            System.out.println("DatadogCrashRecoveryIT seed " + seed);

            LogWriter writer = new LogWriter(work.resolve("logs/app.log"));
            try (BackgroundWriter appender = new BackgroundWriter(writer, LINES_PER_TICK, 10)) {
                for (int i = 0; i < KILLS; i++) {
                    if (random.nextInt(3) == 0) {
                        intake.faults().unavailable(1 + random.nextInt(3));
                    }
                    try (JarProcess logferry = JarProcess.start(work)) {
                        long before = intake.logCount();
                        try {
                            await().atMost(Duration.ofSeconds(60)).until(() -> intake.logCount() > before);
                        } catch (org.awaitility.core.ConditionTimeoutException e) {
                            throw new AssertionError("no delivery within 60 s; logferry printed:\n"
                                    + JarProcess.outputOf(work), e);
                        }
                        Thread.sleep(random.nextInt(1200)); // a random moment during delivery
                        logferry.kill();
                    }
                    if (i % 4 == 3) {
                        writer.renameTo("app.log." + i);
                        writer.write(50);
                        writer.reopen();
                    }
                }
            }
            writer.close();
            long written = writer.written();

            try (JarProcess logferry = JarProcess.start(work)) {
                await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                        .until(() -> intake.distinctMessageCount() >= written);
                logferry.awaitStarted(Duration.ofSeconds(60));
                assertThat(logferry.terminate(60)).isZero();
            }
            System.out.printf("DatadogCrashRecoveryIT wrote %d lines, killed logferry %d times: %d logs, %d distinct,"
                    + " %d duplicates%n", written, KILLS, intake.logCount(), intake.distinctMessageCount(),
                    intake.duplicateMessageCount());
            assertThat(intake.distinctMessageCount()).isEqualTo(written);
            // a line is over 90 bytes: no kill can leave more lines than the in-flight window unconfirmed
            assertThat(intake.duplicateMessageCount()).isLessThanOrEqualTo((long) KILLS * INFLIGHT_BYTES / 90);
            assertThat(JarProcess.outputOf(work)).doesNotContain("could not start");
        }
    }
}
