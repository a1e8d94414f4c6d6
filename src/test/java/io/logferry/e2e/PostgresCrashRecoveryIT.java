package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.KillNineSchedule;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.PostgresServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link CrashRecoveryIT} against PostgreSQL: the real jar, configured from the shipped example
 * {@code config/examples/tail-to-store-postgres.camel.yaml} (copied and edited as its comments say, the
 * password in the environment), is killed with SIGKILL at random moments while an application writes and
 * rotates its log. Transactions cut by a kill are rolled back by the server; in the end the store holds every
 * line written, exactly once.
 */
class PostgresCrashRecoveryIT {

    private static final int KILLS = 20;
    private static final String COUNT = "SELECT count(*) FROM lf_store_events";

    @TempDir
    Path work;

    @Test
    void everyLineIsStoredExactlyOnceInPostgresAcrossRepeatedKillNine() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase();
        JarProcess.installDefaultConfig(work);
        Files.delete(work.resolve("config/routes/default.camel.yaml"));
        String example = Files.readString(work.resolve("config/examples/tail-to-store-postgres.camel.yaml"));
        String pipeline = example
                .replace("value: logs/*.log", "value: \"logs/app.log*\"")
                .replace("value: jdbc:postgresql://localhost:5432/logs", "value: " + db.url());
        assertThat(pipeline).as("the example's values moved; update this test").contains(db.url()).contains("app.log*")
                .contains("value: " + PostgresServer.USER);
        Files.writeString(work.resolve("config/routes/postgres.camel.yaml"), pipeline);
        Map<String, String> env = Map.of("LOGFERRY_STORE_PASSWORD", PostgresServer.PASSWORD);

        long written = new KillNineSchedule("PostgresCrashRecoveryIT", work, env, KILLS).run(
                new LogWriter(work.resolve("logs/app.log")), () -> db.queryLong(COUNT));

        try (JarProcess logferry = JarProcess.start(work, env, List.of())) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                    .until(() -> db.queryLong(COUNT) >= written);
            logferry.awaitStarted(Duration.ofSeconds(60));
            assertThat(logferry.terminate(60)).isZero();
        }
        assertThat(db.queryLong(COUNT)).isEqualTo(written);
        assertThat(db.queryLong("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(written);
        assertThat(db.queryLong("SELECT max(substring(raw from 'seq=\"(\\d+)\"')::bigint) FROM lf_store_events"))
                .isEqualTo(written - 1);
        String output = JarProcess.outputOf(work);
        assertThat(output).doesNotContain("could not start").doesNotContain(PostgresServer.PASSWORD);
    }
}
