package io.logferry.sink.syslog;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.Rsyslog;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.PkiDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * logferry against a real third-party RFC 5425 peer, rsyslog from Debian, started privately by the test: rsyslog
 * forwarding to our listener (provenance from rsyslog's certificate), our forwarder delivering to rsyslog, and
 * our forwarder's resend window when the rsyslog receiver is killed with SIGKILL during delivery.
 */
class RsyslogInteropTest {

    private static final String RSYSLOG_CN = "rsyslog-01";

    @TempDir
    Path dir;
    private PkiDirectory pki;

    @BeforeEach
    void setUp() {
        Rsyslog.assumeInstalled();
        TestPki testPki = new TestPki(dir.resolve("pki"));
        testPki.issue(CertificateRequest.client(RSYSLOG_CN));
        pki = testPki.directory();
    }

    @ParameterizedTest
    @EnumSource(Rsyslog.Driver.class)
    void rsyslogForwardingOverMutualTlsReachesOurListenerUnderItsCertificatesName(Rsyslog.Driver driver)
            throws Exception {
        int port = FreePort.find();
        Path log = dir.resolve("app/app.log");
        try (TestPipeline listener = TestPipeline.start(dir.resolve("listener"), TestPipeline.LISTENER, Map.of(
                "host", "127.0.0.1", "port", String.valueOf(port),
                "certFile", pki.certificate(TestPki.SERVER).toString(), "keyFile", pki.key(TestPki.SERVER).toString(),
                "caFile", pki.caCertificate().toString()));
             LogWriter writer = new LogWriter(log, "spoofed-host")) {
            writer.write(20_000);
            try (Rsyslog sender = Rsyslog.sender(dir.resolve("rsyslog"), driver, log, port, TestPki.SERVER,
                    pki.caCertificate(), pki.certificate(RSYSLOG_CN), pki.key(RSYSLOG_CN))) {
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                        IngestedLines.under(listener.ingestDir()).count()).as(sender.log()).isEqualTo(20_000));
            }
            assertThat(IngestedLines.under(listener.ingestDir()).distinct()).isEqualTo(20_000);
            assertThat(Files.list(listener.ingestDir()).map(p -> p.getFileName().toString()))
                    .containsExactly(RSYSLOG_CN);
        }
    }

    @ParameterizedTest
    @EnumSource(Rsyslog.Driver.class)
    void ourForwarderDeliversEveryLineToAnRsyslogReceiverRequiringClientCertificates(Rsyslog.Driver driver)
            throws Exception {
        try (Rsyslog receiver = receiver(driver); TestPipeline forwarder = forwarder(receiver.port());
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            writer.write(20_000);
            // a resend may bring a line twice before the last one arrives: wait for every distinct line
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(
                    IngestedLines.of(receiver.output()).distinct()).as(receiver.log()).isEqualTo(20_000));
        }
    }

    @Test
    void nothingIsLostWhenTheRsyslogReceiverIsKilledTwiceDuringDelivery() throws Exception {
        try (Rsyslog receiver = receiver(); TestPipeline forwarder = forwarder(receiver.port())) {
            LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"));
            try (BackgroundWriter appender = new BackgroundWriter(writer, 200, 5)) {
                for (int kill = 0; kill < 2; kill++) {
                    int before = received(receiver).count();
                    await().atMost(Duration.ofSeconds(30)).until(() -> received(receiver).count() > before + 20_000);
                    receiver.kill9();
                    receiver.start();
                }
                int before = received(receiver).count();
                await().atMost(Duration.ofSeconds(30)).until(() -> received(receiver).count() > before + 20_000);
            }
            writer.close();
            long written = writer.written();
            await().atMost(Duration.ofSeconds(60)).until(() -> received(receiver).distinct() >= written);
            IngestedLines lines = received(receiver);
            System.out.printf("RsyslogInteropTest: %d lines written, rsyslog killed twice: %d received, %d distinct,"
                    + " %d duplicates%n", written, lines.count(), lines.distinct(), lines.count() - lines.distinct());
            assertThat(lines.missingBelow(written)).isEmpty();
        }
    }

    private static IngestedLines received(Rsyslog receiver) {
        return IngestedLines.of(receiver.output());
    }

    private Rsyslog receiver() throws Exception {
        return receiver(Rsyslog.Driver.OSSL);
    }

    private Rsyslog receiver(Rsyslog.Driver driver) throws Exception {
        return Rsyslog.receiver(dir.resolve("rsyslog"), driver, pki.caCertificate(), pki.certificate(TestPki.SERVER),
                pki.key(TestPki.SERVER));
    }

    private TestPipeline forwarder(int port) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of(
                "host", "127.0.0.1", "port", String.valueOf(port),
                "certFile", pki.certificate(TestPki.CLIENT).toString(), "keyFile", pki.key(TestPki.CLIENT).toString(),
                "caFile", pki.caCertificate().toString(), "reconnectDelay", "200", "maxReconnectDelay", "1000"));
        return TestPipeline.start(dir.resolve("forwarder"), "tail-to-syslog", params);
    }
}
