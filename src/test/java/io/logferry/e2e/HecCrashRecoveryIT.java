package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.hec.FakeHecServer;
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
 * The real jar ships to a HEC server with indexer acknowledgement while it is killed with SIGKILL at random
 * moments and restarted: every line reaches the server at least once, and the duplicates (lines the server
 * indexed but whose ack the killed process never saw) stay within the in-flight window of each kill.
 */
class HecCrashRecoveryIT {

    private static final int KILLS = 20;
    private static final String TOKEN = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    /** Bytes read but unconfirmed before the tail waits: bounds what one kill can make the server see twice. */
    private static final int INFLIGHT_BYTES = Integer.getInteger("logferry.hec.crash.inflightBytes",
            1 << 20); // the default is the smallest the tail takes (one read batch)
    /** Lines the application writes every 10 ms (20: 2,000 lines/s). */
    private static final int LINES_PER_TICK = Integer.getInteger("logferry.hec.crash.linesPerTick", 20);

    @TempDir
    Path work;

    @Test
    void everyLineArrivesAtLeastOnceWithBoundedDuplicatesAcrossRepeatedKillNine() throws Exception {
        try (FakeHecServer server = FakeHecServer.builder().token(TOKEN).ack(true).retainEvents(false).start()) {
            JarProcess.installDefaultConfig(work);
            // the token comes from a property, as a user keeps it out of route files
            Files.writeString(work.resolve("config/application.properties"), "\nhec.token = " + TOKEN + "\n",
                    StandardOpenOption.APPEND);
            JarProcess.writePipeline(work, "tail-to-hec", Map.of("paths", "logs/app.log*", "url",
                    server.url().toString(), "token", "{{hec.token}}", "ack", "true", "ackPollInterval", "100",
                    "batchTimeout", "100", "maxInflightBytes", String.valueOf(INFLIGHT_BYTES)));
            long seed = System.nanoTime();
            Random random = new Random(seed);
            System.out.println("HecCrashRecoveryIT seed " + seed);

            LogWriter writer = new LogWriter(work.resolve("logs/app.log"));
            long[] duplicatesAtKill = new long[KILLS + 1];
            try (BackgroundWriter appender = new BackgroundWriter(writer, LINES_PER_TICK, 10)) {
                for (int i = 0; i < KILLS; i++) {
                    try (JarProcess logferry = JarProcess.start(work)) {
                        if (i % 5 == 4) {
                            Thread.sleep(random.nextInt(1500)); // some kills land during start-up
                        } else {
                            long before = server.eventCount();
                            try {
                                await().atMost(Duration.ofSeconds(60)).until(() -> server.eventCount() > before);
                            } catch (org.awaitility.core.ConditionTimeoutException e) {
                                throw new AssertionError("no delivery within 60 s; logferry printed:\n"
                                        + JarProcess.outputOf(work), e);
                            }
                            Thread.sleep(random.nextInt(1200)); // a random moment during delivery
                        }
                        duplicatesAtKill[i] = server.duplicateCount();
                        logferry.kill();
                    }
                    if (i % 7 == 6) {
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
                        .until(() -> server.distinctSeqCount() >= written);
                logferry.awaitStarted(Duration.ofSeconds(60));
                assertThat(logferry.terminate(60)).isZero();
            }
            long duplicates = server.duplicateCount();
            duplicatesAtKill[KILLS] = duplicates;
            // what the restart after kill i resent shows before kill i + 1
            long[] perKill = new long[KILLS];
            for (int i = 0; i < KILLS; i++) {
                perKill[i] = duplicatesAtKill[i + 1] - duplicatesAtKill[i];
            }
            System.out.printf("HecCrashRecoveryIT duplicates per kill (in-flight window %d bytes, %d lines/s): max %d,"
                    + " median %d%n", INFLIGHT_BYTES, LINES_PER_TICK * 100, java.util.Arrays.stream(perKill).max()
                    .orElse(0), java.util.Arrays.stream(perKill).sorted().toArray()[KILLS / 2]);
            System.out.printf("HecCrashRecoveryIT wrote %d lines, killed logferry %d times: %d events indexed,"
                    + " %d distinct, %d duplicates%n", written, KILLS, server.eventCount(), server.distinctSeqCount(),
                    duplicates);
            assertThat(server.distinctSeqCount()).isEqualTo(written);
            for (long seq = 0; seq < written; seq++) {
                assertThat(server.hasSeq(seq)).as("seq=%d", seq).isTrue();
            }
            // a line is over 90 bytes: no kill can leave more lines than the in-flight window unconfirmed
            assertThat(duplicates).isLessThanOrEqualTo((long) KILLS * INFLIGHT_BYTES / 90);
            assertThat(JarProcess.outputOf(work)).doesNotContain("could not start");
        }
    }
}
