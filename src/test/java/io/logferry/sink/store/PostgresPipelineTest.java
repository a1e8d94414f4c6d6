package io.logferry.sink.store;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.PostgresServer;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shipped tail-to-store template with a PostgreSQL URL: lines written, rotated and stored while the
 * database cuts logferry's connections under it; every line arrives once.
 */
class PostgresPipelineTest {

    @TempDir
    Path dir;

    @Test
    void everyLineArrivesOnceThroughRotationAndLostConnections() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase();
        Map<String, String> params = Map.of(
                "paths", dir.resolve("logs") + "/app.log*",
                "storeUrl", db.url(),
                "storeUser", PostgresServer.USER,
                // the password comes from a property placeholder, as it would from {{env:...}}
                "storePassword", "{{test.store.password}}",
                "storeConnectTimeout", "2000",
                "batchLines", "500");
        LogWriter log = new LogWriter(dir.resolve("logs/app.log"));
        try (TestPipeline pipeline = TestPipeline.start(dir, params,
                Map.of("test.store.password", PostgresServer.PASSWORD))) {
            try (BackgroundWriter app = new BackgroundWriter(log, 50, 10)) {
                for (int cut = 0; cut < 3; cut++) {
                    long before = db.queryLong("SELECT count(*) FROM lf_store_events");
                    await().atMost(Duration.ofSeconds(30))
                            .until(() -> db.queryLong("SELECT count(*) FROM lf_store_events") > before + 1000);
                    assertThat(db.terminateLogferryConnections()).isLessThanOrEqualTo(1);
                    if (cut == 1) {
                        log.renameTo("app.log.1");
                        log.write(100);
                        log.reopen();
                    }
                }
            }
            log.close();
            long written = log.written();
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> db.queryLong("SELECT count(*) FROM lf_store_events") >= written);
            assertThat(db.queryLong("SELECT count(*) FROM lf_store_events")).isEqualTo(written);
            assertThat(db.queryLong("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(written);
            assertThat(db.queryLong("SELECT count(*) FROM lf_store_files")).isEqualTo(2);
            assertThat(db.queryLong("SELECT count(*) FROM lf_store_events WHERE rfc5424 AND ts IS NOT NULL"
                    + " AND structured_data LIKE '[meta@1 seq=%'")).isEqualTo(written);
            assertThat(pipeline.consumer().followedFiles()).hasSize(2);
        }
    }
}
