package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.KillNineSchedule;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

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
        JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log*", "batchTimeout", "100"));
        Path events = work.resolve("data/events.db");
        // rotated files stay in the glob, so a rotation while logferry is down is caught up after the restart
        long written = new KillNineSchedule("CrashRecoveryIT", work, Map.of(), KILLS).run(
                new LogWriter(work.resolve("logs/app.log")),
                () -> TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events"));

        try (JarProcess logferry = JarProcess.start(work)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> TestPipeline.queryLong(events, "SELECT count(*) FROM lf_store_events") >= written);
            logferry.awaitStarted(Duration.ofSeconds(60));
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
