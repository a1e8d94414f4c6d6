package io.logferry.sink.syslog;

import io.logferry.metrics.PipelineMetrics;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.PkiDirectory;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A logferry forwarder and a logferry listener over mutual TLS, with acks and origin elements: exactly once. */
class SyslogForwardingTest {

    @TempDir
    Path dir;
    private PkiDirectory pki;
    private int port;

    @BeforeEach
    void setUp() {
        pki = new TestPki(dir.resolve("pki")).directory();
        port = FreePort.find();
    }

    @Test
    void everyLineArrivesOnceInTheFileOfTheCertificatesCommonName() throws Exception {
        try (TestPipeline listener = listener(); TestPipeline forwarder = forwarder(Map.of())) {
            // the HOSTNAME inside the lines claims another host: it must not decide where they go
            try (LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"), "db-99")) {
                writer.write(20_000);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> IngestedLines.under(listener.ingestDir()).count() >= 20_000);
                assertThat(Files.list(listener.ingestDir()).map(p -> p.getFileName().toString()))
                        .containsExactly(TestPki.CLIENT);
                IngestedLines lines = IngestedLines.under(listener.ingestDir());
                assertThat(lines.count()).isEqualTo(20_000);
                assertThat(lines.distinct()).isEqualTo(20_000);
                long size = Files.size(forwarder.logs().resolve("app.log"));
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> String.valueOf(size).equals(forwarder.committedOffset()));
            }
        }
    }

    @Test
    void anIdleConnectionClosedByTheListenerIsReopenedForTheNextLines() throws Exception {
        try (TestPipeline listener = listener(Map.of("idleTimeout", "500"));
             TestPipeline forwarder = forwarder(Map.of("reconnectDelay", "100"));
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            writer.write(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> IngestedLines.under(listener.ingestDir()).count() == 100);
            var meters = listener.context().getRegistry()
                    .lookupByNameAndType("pipelineMetrics", PipelineMetrics.class)
                    .listener(TestPipeline.LISTENER);
            await().atMost(Duration.ofSeconds(30)).until(() -> meters.closedCount("idle_timeout") >= 1);
            writer.write(100);
            await().atMost(Duration.ofSeconds(30)).until(() -> IngestedLines.under(listener.ingestDir()).count() == 200);
            assertThat(IngestedLines.under(listener.ingestDir()).distinct()).isEqualTo(200);
        }
    }

    @Test
    void plaintextOnLoopbackWhenBothSidesAllowItStoresUnderUnauthenticated() throws Exception {
        try (TestPipeline listener = listener(Map.of("tls", "false", "allowPlaintext", "true"));
             TestPipeline forwarder = forwarder(Map.of("tls", "false"));
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            writer.write(1_000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> IngestedLines.under(listener.ingestDir()).count() >= 1_000);
            assertThat(Files.list(listener.ingestDir()).map(p -> p.getFileName().toString()))
                    .containsExactly("unauthenticated");
            assertThat(IngestedLines.under(listener.ingestDir()).distinct()).isEqualTo(1_000);
        }
    }

    @Test
    void lfFramingOnBothSidesCarriesEveryLine() throws Exception {
        try (TestPipeline listener = listener(Map.of("framing", "lf"));
             TestPipeline forwarder = forwarder(Map.of("framing", "lf"));
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            writer.write(5_000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> IngestedLines.under(listener.ingestDir()).count() >= 5_000);
            assertThat(IngestedLines.under(listener.ingestDir()).distinct()).isEqualTo(5_000);
            long size = Files.size(forwarder.logs().resolve("app.log"));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> String.valueOf(size).equals(forwarder.committedOffset()));
        }
    }

    @Test
    void aRestartedListenerDropsWhatTheForwarderResends() throws Exception {
        Path log = dir.resolve("forwarder/logs/app.log");
        try (TestPipeline forwarder = forwarder(Map.of("reconnectDelay", "100", "maxReconnectDelay", "200"));
             LogWriter writer = new LogWriter(log)) {
            TestPipeline listener = listener();
            writer.write(5_000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> IngestedLines.under(listener.ingestDir()).count() >= 5_000);
            listener.close();
            writer.write(5_000);
            try (TestPipeline again = listener()) {
                writer.write(5_000);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> IngestedLines.under(again.ingestDir()).count() >= 15_000);
                long size = Files.size(log);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> String.valueOf(size).equals(forwarder.committedOffset()));
                IngestedLines lines = IngestedLines.under(again.ingestDir());
                assertThat(lines.count()).isEqualTo(15_000);
                assertThat(lines.distinct()).isEqualTo(15_000);
            }
        }
    }

    @Test
    void intoTheEventStoreTheSourceIsTheCommonNameAndResendsAreNotStoredTwice() throws Exception {
        Path store = dir.resolve("listener/events.db");
        Map<String, String> toStore = Map.of("output", "store", "storeUrl", "jdbc:sqlite:" + store);
        Path log = dir.resolve("forwarder/logs/app.log");
        try (TestPipeline forwarder = forwarder(Map.of("reconnectDelay", "100", "maxReconnectDelay", "200"));
             LogWriter writer = new LogWriter(log, "db-99")) {
            TestPipeline listener = listener(toStore);
            writer.write(3_000);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> TestPipeline.queryLong(store, "SELECT count(*) FROM lf_store_events") >= 3_000);
            listener.close();
            writer.write(3_000);
            try (TestPipeline again = listener(toStore)) {
                long size = Files.size(log);
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> String.valueOf(size).equals(forwarder.committedOffset()));
            }
        }
        assertThat(TestPipeline.queryLong(store, "SELECT count(*) FROM lf_store_events")).isEqualTo(6_000);
        assertThat(TestPipeline.queryLong(store, "SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(6_000);
        assertThat(TestPipeline.queryLong(store, "SELECT count(*) FROM lf_store_events e JOIN lf_store_files f"
                + " ON e.file_id = f.file_id WHERE f.source = '" + TestPki.CLIENT + "'")).isEqualTo(6_000);
    }

    @Test
    void aForwarderWhoseCertificateTheListenerRefusesSaysSoAndBacksOff() throws Exception {
        PkiDirectory other = new TestPki(dir.resolve("other-pki")).directory();
        try (TestPipeline listener = listener();
             TestPipeline forwarder = forwarder(Map.of("certFile", other.certificate(TestPki.CLIENT).toString(),
                     "keyFile", other.key(TestPki.CLIENT).toString(), "reconnectDelay", "1000",
                     "maxReconnectDelay", "30000"));
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            writer.write(10);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HealthCheck.Result health = HealthCheckHelper.invoke(forwarder.context(),
                        "sink:syslog-tail-to-syslog", Map.of()).orElseThrow();
                assertThat(health.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(health.getMessage()).hasValueSatisfying(m -> assertThat(m)
                        .contains("probably refused this forwarder's certificate"));
            });
            var meters = PipelineMetrics.of(listener.context()).listener(TestPipeline.LISTENER);
            double start = meters.refusedCount("untrusted_certificate");
            // 1 s doubling: attempts 1, 3 and 7 s later at most; without backoff one every second
            await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(8))
                    .until(() -> meters.refusedCount("untrusted_certificate") - start <= 3);
            assertThat(IngestedLines.under(listener.ingestDir()).count()).isZero();
        }
    }

    private TestPipeline listener() throws Exception {
        return listener(Map.of());
    }

    private TestPipeline listener(Map<String, String> extra) throws Exception {
        return TestPipeline.listener(dir.resolve("listener"), pki, port, extra);
    }

    private TestPipeline forwarder(Map<String, String> extra) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of(
                "host", "127.0.0.1",
                "port", String.valueOf(port),
                "certFile", pki.certificate(TestPki.CLIENT).toString(),
                "keyFile", pki.key(TestPki.CLIENT).toString(),
                "caFile", pki.caCertificate().toString()));
        params.putAll(extra);
        return TestPipeline.start(dir.resolve("forwarder"), "tail-to-syslog", params);
    }
}
