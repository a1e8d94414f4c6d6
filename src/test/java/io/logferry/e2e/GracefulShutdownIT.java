package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the real jar shipping to HEC with indexer acknowledgement: it stops reading, flushes the open
 * batch, waits for in-flight deliveries up to {@code camel.main.shutdown-timeout}, commits what was
 * confirmed and exits; what was not confirmed is not committed and is sent by the next run.
 */
class GracefulShutdownIT {

    private static final String TOKEN = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final int LINES = 1000;

    @TempDir
    Path work;

    @Test
    void sigtermWaitsForTheBatchInFlightCommitsItAndExitsZero() throws Exception {
        try (FakeHecServer hec = FakeHecServer.builder().token(TOKEN).ack(true).start();
             LogWriter app = new LogWriter(work.resolve("logs/app.log"))) {
            configure(hec, 30);
            hec.faults().indexingDelay(Duration.ofSeconds(3)); // accepted at once, acknowledged 3 s later
            try (JarProcess logferry = JarProcess.start(work)) {
                app.write(LINES);
                await().atMost(Duration.ofSeconds(60)).until(() -> hec.requestCount() > 0);
                logferry.signalTerm();
                assertThat(logferry.waitForExit(30)).as(output()).isZero();
            }
            assertThat(hec.distinctSeqCount()).isEqualTo(LINES);
            assertThat(committedOffset()).isEqualTo(Files.size(work.resolve("logs/app.log")));
            assertThat(output()).contains("stopping: waiting up to 30 s for").doesNotContain("exiting without");

            hec.clear();
            hec.faults().clear();
            try (JarProcess logferry = JarProcess.start(work)) {
                app.write(1); // read from the committed offset: the first batch would carry any re-sent line
                await().atMost(Duration.ofSeconds(60)).until(() -> hec.hasSeq(LINES));
                assertThat(hec.eventCount()).isEqualTo(1);
                assertThat(logferry.terminate(30)).isZero();
            }
        }
    }

    @Test
    void sigtermWithASinkThatNeverAnswersExitsAtTheTimeoutWithoutCommitting() throws Exception {
        try (LogWriter app = new LogWriter(work.resolve("logs/app.log"))) {
            try (FakeHecServer silent = FakeHecServer.builder().token(TOKEN).ack(true).start()) {
                configure(silent, 3);
                silent.faults().responseDelay(Duration.ofMinutes(5)); // requests hang: no response at all
                try (JarProcess logferry = JarProcess.start(work)) {
                    app.write(LINES);
                    await().atMost(Duration.ofSeconds(60)).until(() -> silent.arrivals() > 0);
                    long signalled = System.nanoTime();
                    logferry.signalTerm();
                    int exit = logferry.waitForExit(30);
                    Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                    System.out.println("GracefulShutdownIT: exit " + exit + " " + took.toMillis() + " ms after SIGTERM"
                            + " with a 3 s timeout");
                    assertThat(exit).as(output()).isEqualTo(75);
                    // at the 3 s timeout, not the 30 s request timeout: the upper bound leaves a busy machine room
                    assertThat(took).isBetween(Duration.ofSeconds(3), Duration.ofSeconds(15));
                }
                assertThat(committedOffset()).isZero();
                assertThat(output()).contains("stopping: waiting up to 3 s for")
                        .containsPattern("exiting without confirmation of \\d+ lines; they will be sent again");
            }
            assertRestartDeliversEveryLine(app);
        }
    }

    @Test
    void secondSigtermDuringTheWaitExitsAtOnceWithoutCommitting() throws Exception {
        try (LogWriter app = new LogWriter(work.resolve("logs/app.log"))) {
            try (FakeHecServer silent = FakeHecServer.builder().token(TOKEN).ack(true).start()) {
                configure(silent, 60);
                silent.faults().loseBeforeIndexing(Integer.MAX_VALUE); // accepted, never acknowledged
                try (JarProcess logferry = JarProcess.start(work)) {
                    app.write(LINES);
                    await().atMost(Duration.ofSeconds(60)).until(() -> silent.requestCount() > 0);
                    logferry.signalTerm();
                    await().atMost(Duration.ofSeconds(60)).until(() -> output().contains("stopping: waiting up to"));
                    // not a synchronisation: signals less than 2 s apart count as one (StopSignals)
                    Thread.sleep(2_500);
                    long signalled = System.nanoTime();
                    logferry.signalTerm();
                    int exit = logferry.waitForExit(30);
                    Duration took = Duration.ofNanos(System.nanoTime() - signalled);
                    System.out.println("GracefulShutdownIT: exit " + exit + " " + took.toMillis()
                            + " ms after the second SIGTERM");
                    assertThat(exit).isEqualTo(130);
                    // at once, not after the 60 s shutdown timeout: the bound leaves room for a busy machine to fork
                    // kill(1) and reap the process
                    assertThat(took).isLessThan(Duration.ofSeconds(10));
                }
                assertThat(committedOffset()).isZero();
                assertThat(output()).containsPattern("exiting without confirmation of \\d+ lines; they will be sent again");
            }
            assertRestartDeliversEveryLine(app);
        }
    }

    /** A new collector (the silent one still holds its connections) and a new run: nothing is lost. */
    private void assertRestartDeliversEveryLine(LogWriter app) throws Exception {
        try (FakeHecServer hec = FakeHecServer.builder().token(TOKEN).ack(true).start()) {
            configure(hec, 30);
            try (JarProcess logferry = JarProcess.start(work)) {
                await().atMost(Duration.ofSeconds(60)).until(() -> hec.distinctSeqCount() == app.written());
                assertThat(logferry.terminate(30)).isZero();
            }
            assertThat(committedOffset()).isEqualTo(Files.size(work.resolve("logs/app.log")));
        }
    }

    private void configure(FakeHecServer hec, int shutdownTimeoutSeconds) throws Exception {
        if (!Files.exists(work.resolve("config"))) {
            JarProcess.installDefaultConfig(work);
            Files.writeString(work.resolve("config/application.properties"), "\ncamel.management.enabled = false\n",
                    StandardOpenOption.APPEND);
        }
        Files.writeString(work.resolve("config/application.properties"), "\ncamel.main.shutdown-timeout = "
                + shutdownTimeoutSeconds + "\n", StandardOpenOption.APPEND);
        JarProcess.writePipeline(work, "tail-to-hec", Map.of("paths", "logs/app.log", "url", hec.url().toString(),
                "token", TOKEN, "ack", "true", "ackPollInterval", "100", "batchTimeout", "100"));
    }

    private long committedOffset() {
        return TestPipeline.queryLong(work.resolve("data/offsets.db"),
                "SELECT coalesce(max(CAST(value AS INTEGER)), 0) FROM lf_offsets_files");
    }

    private String output() throws Exception {
        return JarProcess.outputOf(work);
    }
}
