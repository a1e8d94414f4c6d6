package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.SyslogClient;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static io.logferry.testsupport.SyslogClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * A listener facing hostile clients: wrong certificates are refused at the handshake, malformed or endless
 * input closes only that connection, idle clients are closed; each refusal is counted by reason and nothing such
 * a client sent is stored, while a good client on another connection keeps flowing.
 */
class ListenerSecurityTest {

    /** TLS handshakes and the listener's threads on a machine that may be busy with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    static Path dir;
    private static TestPki pki;
    private static TestPipeline listener;
    private static int port;
    private static IssuedCertificate good;
    private static X509Certificate ca;

    @BeforeAll
    static void start() throws Exception {
        pki = new TestPki(dir.resolve("pki"));
        good = pki.issue(CertificateRequest.client("good-client"));
        ca = pki.authority().certificate();
        port = FreePort.find();
        listener = TestPipeline.listener(dir.resolve("listener"), pki.directory(), port, Map.of(
                "handshakeTimeout", "1000", "idleTimeout", "1500", "maxFrameLength", "4096"));
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void certificatesFromAnotherCaExpiredOrMissingAreRefusedAtTheHandshake() {
        refusedWith(pki.impostorClient("impostor"), "untrusted_certificate");
        refusedWith(pki.expiredClient("expired"), "certificate_expired");
        refusedWith(null, "no_certificate");
        assertThat(sourceDirectories()).doesNotContain("impostor", "expired");
    }

    private void refusedWith(IssuedCertificate identity, String reason) {
        double before = meters().refusedCount(reason);
        try (SyslogClient client = SyslogClient.tls(port, identity, ca)) {
            // TLS 1.3 reports a refused client certificate after the client's side of the handshake
            client.send(frame(LogWriter.line("spoofed", 1)));
            assertThat(client.closedByPeer()).isTrue();
        } catch (Exception expected) {
            // refused during the handshake itself
        }
        await().atMost(WAIT).until(() -> meters().refusedCount(reason) == before + 1);
    }

    @Test
    void plaintextOnTheTlsPortIsRefused() throws IOException {
        double before = totalRefused();
        try (SyslogClient client = SyslogClient.plain(port)) {
            client.send(frame(LogWriter.line("plain", 1)));
            assertThat(client.closedByPeer()).isTrue();
        }
        await().atMost(WAIT).until(() -> totalRefused() > before);
    }

    @Test
    void malformedFramesCloseThatConnectionOnlyAndAreCountedByReason() throws Exception {
        try (SyslogClient bystander = SyslogClient.tls(port, good, ca)) {
            bystander.send(frame(LogWriter.line("by", 900_001)));
            assertRejected("x5 <13>1 - - - - - - bad count", "non_digit_length");
            assertRejected("12345678901 <13>1", "length_too_long");
            assertRejected("99999 " + "a".repeat(100), "frame_too_large");
            assertRejected("07 <13>1 x", "leading_zero");
            assertRejected("12<13>1 - - - - - -", "missing_space");
            bystander.send(frame(LogWriter.line("by", 900_002)));
            await().atMost(WAIT).until(() -> stored(900_001) && stored(900_002));
        }
    }

    private void assertRejected(String bytes, String reason) throws Exception {
        double before = meters().rejectedCount(reason);
        try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
            client.send(bytes);
            assertThat(client.closedByPeer()).as(reason).isTrue();
        }
        await().atMost(WAIT).until(() -> meters().rejectedCount(reason) == before + 1);
    }

    @Test
    void aClientStreamingWithoutFrameBoundariesIsClosedLongBeforeHundredMegabytes() throws Exception {
        double before = meters().rejectedCount("frame_too_large");
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '7');
        long sent = 0;
        try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
            while (sent < 100L * 1024 * 1024) {
                client.send(chunk);
                sent += chunk.length;
            }
        } catch (IOException closed) {
            // the listener closed the connection while we were still sending
        }
        assertThat(sent).isLessThan(100L * 1024 * 1024);
        await().atMost(WAIT).until(() -> meters().rejectedCount("length_too_long")
                + meters().rejectedCount("frame_too_large") > before);
    }

    @Test
    void framesBeforeATruncatedOneAreStoredAndTheTruncationCounted() throws Exception {
        double before = meters().rejectedCount("truncated");
        try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
            client.send(frame(LogWriter.line("t", 900_100)) + "200 <13>1 cut short");
            await().atMost(WAIT).until(() -> stored(900_100));
        }
        await().atMost(WAIT).until(() -> meters().rejectedCount("truncated") == before + 1);
    }

    @Test
    void slowlorisClientsAreClosedBeforeAndAfterTheHandshake() throws Exception {
        double handshakes = meters().refusedCount("handshake_timeout");
        try (SyslogClient silent = SyslogClient.plain(port)) {
            assertThat(silent.closedByPeer()).isTrue();
        }
        await().atMost(WAIT).until(() -> meters().refusedCount("handshake_timeout") > handshakes);
        double idle = meters().closedCount("idle_timeout");
        try (SyslogClient idler = SyslogClient.tls(port, good, ca)) {
            assertThat(idler.closedByPeer()).isTrue();
        }
        // the listener's thread counts it: wait as for the other refusals, not on it preceding the close
        await().atMost(WAIT).until(() -> meters().closedCount("idle_timeout") > idle);
    }

    @Test
    void theSourceIsTheCertificatesCommonNameNotTheHostnameInTheFrame() throws Exception {
        try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
            client.send(frame(LogWriter.line("collector.example", 900_200)));
            await().atMost(WAIT).until(() -> stored(900_200));
        }
        Path file = Files.list(listener.ingestDir().resolve("good-client")).findFirst().orElseThrow();
        assertThat(Files.readString(file, StandardCharsets.UTF_8)).contains("seq=\"900200\"");
        assertThat(sourceDirectories()).doesNotContain("collector.example");
    }

    @Test
    void plaintextNeedsAnExplicitOptionAndALoopbackAddress() {
        assertThatThrownBy(() -> TestPipeline.start(dir.resolve("p1"), TestPipeline.LISTENER,
                Map.of("host", "127.0.0.1", "port", String.valueOf(FreePort.find()), "tls", "false")))
                .hasStackTraceContaining("allowPlaintext=true");
        assertThatThrownBy(() -> TestPipeline.start(dir.resolve("p2"), TestPipeline.LISTENER,
                Map.of("host", "0.0.0.0", "port", String.valueOf(FreePort.find()), "tls", "false",
                        "allowPlaintext", "true")))
                .hasStackTraceContaining("loopback");
    }

    private static boolean stored(long seq) {
        return !IngestedLines.under(listener.ingestDir()).missingBelow(seq + 1).contains(seq);
    }

    private static java.util.List<String> sourceDirectories() {
        try (var files = Files.list(listener.ingestDir())) {
            return files.map(p -> p.getFileName().toString()).toList();
        } catch (IOException e) {
            return java.util.List.of();
        }
    }

    private static ListenerMeters meters() {
        return listener.context().getRegistry().lookupByNameAndType("pipelineMetrics", PipelineMetrics.class)
                .listener(TestPipeline.LISTENER);
    }

    private static double totalRefused() {
        ListenerMeters m = meters();
        return m.refusedCount("protocol") + m.refusedCount("handshake_failed") + m.refusedCount("error")
                + m.refusedCount("handshake_timeout");
    }
}
