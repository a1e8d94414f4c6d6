package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator's path through the real jar: HEC refuses an event, logferry keeps it as a dead letter and moves
 * on; once the cause is gone, {@code logferry deadletters replay --wait} (a second process) has the running
 * logferry resend it, and every line has reached the collector exactly once.
 */
class DeadLetterReplayIT {

    private static final String TOKEN = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path work;

    private long deadLetters() {
        return TestPipeline.queryLong(work.resolve("data/deadletters.db"), "SELECT count(*) FROM lf_deadletter_records");
    }

    @Test
    void aRefusedEventIsKeptAndAReplayFromTheCommandLineDeliversIt() throws Exception {
        try (FakeHecServer server = FakeHecServer.builder().token(TOKEN).start()) {
            JarProcess.installDefaultConfig(work);
            JarProcess.writePipeline(work, "tail-to-hec", Map.of("paths", "logs/app.log", "url",
                    server.url().toString(), "token", TOKEN, "batchTimeout", "100"));
            server.faults().invalidEventInNextRequest(4, false); // the collector kept nothing of that request
            try (JarProcess logferry = JarProcess.start(work); LogWriter writer = new LogWriter(work.resolve("logs/app.log"))) {
                writer.write(20);
                await().atMost(WAIT).until(() -> server.distinctSeqCount() == 19 && deadLetters() == 1);

                JarProcess replay = JarProcess.start(work, "deadletters", "replay", "--route", "tail-to-hec",
                        "--wait", "30");
                assertThat(replay.waitForExit(60)).as(replay.output()).isZero();

                assertThat(replay.output()).contains("Queued 1 dead letter(s) for replay")
                        .contains("Delivered 1, failed again 0, still waiting 0.");
                assertThat(server.distinctSeqCount()).isEqualTo(20);
                assertThat(server.duplicateCount()).isZero();
                assertThat(deadLetters()).isZero();
                int exit = logferry.terminate(30);
                assertThat(exit).as(logferry.output()).isZero();
            }
        }
    }
}
