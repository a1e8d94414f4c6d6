package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.testsupport.ConnectionFlood;
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

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.logferry.testsupport.SyslogClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Who gets a connection when clients without a certificate crowd the listener, how refusals are counted, and
 * what a client that drips a frame or offers weak cipher suites gets. Attackers connect from 127.0.0.2 and
 * 127.0.0.3 (loopback too), good clients from 127.0.0.1.
 */
class ListenerAdmissionTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
                "handshakeTimeout", "2000", "frameTimeout", "1500", "maxHandshakesPerAddress", "8"));
    }

    @AfterAll
    static void stop() {
        listener.close();
    }

    @Test
    void aGoodClientGetsThroughWhileAThousandUnauthenticatedConnectionsChurn() throws Exception {
        try (ConnectionFlood flood = new ConnectionFlood(InetAddress.getByName("127.0.0.2"), port, 1000)) {
            await().atMost(WAIT).until(() -> meters().refusedCount("too_many_handshakes_from_address") > 900);
            for (int i = 0; i < 5; i++) {
                try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
                    client.send(frame(LogWriter.line("host-a", 700_000 + i)));
                }
            }
            await().atMost(WAIT).until(() -> Stream.iterate(0, i -> i + 1).limit(5)
                    .allMatch(i -> stored(700_000 + i)));
            assertThat(flood.opened()).as("the attacker kept churning").isGreaterThan(1000);
        }
    }

    @Test
    void eachRefusalIsCountedOnceUnderItsReason() throws Exception {
        double limited = meters().refusedCount("too_many_handshakes_from_address");
        double timedOut = meters().refusedCount("handshake_timeout");
        double failed = meters().refusedCount("handshake_failed") + meters().refusedCount("error");
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 20; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.3"), 0));
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
                sockets.add(s);
            }
            await().atMost(WAIT).until(() -> meters().refusedCount("too_many_handshakes_from_address") - limited >= 12
                    && meters().refusedCount("handshake_timeout") - timedOut >= 8);
            assertThat(meters().refusedCount("too_many_handshakes_from_address") - limited).isEqualTo(12);
            assertThat(meters().refusedCount("handshake_timeout") - timedOut).isEqualTo(8);
            assertThat(meters().refusedCount("handshake_failed") + meters().refusedCount("error")).isEqualTo(failed);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    @Test
    void aClientDrippingAFrameIsClosedAtTheFrameDeadline() throws Exception {
        double before = meters().closedCount("frame_timeout");
        try (SyslogClient dripper = SyslogClient.tls(port, good, ca)) {
            dripper.send("100 <13>1");
            long start = System.nanoTime();
            boolean closed = false;
            // one byte every 400 ms: never idle for long, but the frame never completes
            while (!closed && System.nanoTime() - start < Duration.ofSeconds(10).toNanos()) {
                Thread.sleep(400);
                try {
                    dripper.send("x");
                } catch (IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("closed while dripping").isTrue();
        }
        await().atMost(WAIT).until(() -> meters().closedCount("frame_timeout") == before + 1);
    }

    @Test
    void weakCipherSuitesAreRefusedAndOnlyAeadOnesAreOffered() throws Exception {
        SSLContext context = TestPki.jdkContext(good, ca);
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.setEnabledCipherSuites(new String[] {"TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
                "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(javax.net.ssl.SSLException.class);
        }
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(),
                port)) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            socket.startHandshake();
            assertThat(socket.getSession().getCipherSuite())
                    .matches("TLS_ECDHE_ECDSA_WITH_(AES_\\d+_GCM|CHACHA20).*");
        }
    }

    @Test
    void opensslOfferingOnlyCbcSuitesOverTls12IsRefused() throws Exception {
        Path cert = pki.directory().certificate("good-client");
        Path key = pki.directory().key("good-client");
        Process cbc = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-cipher", "ECDHE-ECDSA-AES128-SHA:ECDHE-ECDSA-AES256-SHA384", "-cert", cert.toString(),
                "-key", key.toString(), "-CAfile", pki.directory().caCertificate().toString())
                .redirectErrorStream(true).start();
        cbc.getOutputStream().close();
        String output = new String(cbc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(cbc.waitFor()).as(output).isNotZero();
        Process gcm = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-tls1_2",
                "-cert", cert.toString(), "-key", key.toString(), "-CAfile",
                pki.directory().caCertificate().toString()).redirectErrorStream(true).start();
        gcm.getOutputStream().close();
        String agreed = new String(gcm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(agreed).containsPattern("Cipher is ECDHE-ECDSA-(AES(128|256)-GCM|CHACHA20)");
    }

    @Test
    void aFrameWhoseOriginOffsetOverflowsIsStoredCountedAndNeverTakenForARepeat() throws Exception {
        double before = meters().invalidOriginCount();
        String overflowing = "<13>1 - h app - - [origin@32473 file=\"f1\" off=\"99999999999999999999\"] seq=800001";
        try (SyslogClient client = SyslogClient.tls(port, good, ca)) {
            client.send(frame(overflowing));
            client.send(frame(overflowing.replace("seq=800001", "seq=800002")));
        }
        await().atMost(WAIT).until(() -> meters().invalidOriginCount() == before + 2);
        String ingested;
        try (Stream<Path> files = Files.walk(listener.ingestDir())) {
            StringBuilder text = new StringBuilder();
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                text.append(Files.readString(file));
            }
            ingested = text.toString();
        }
        assertThat(ingested).contains("seq=800001", "seq=800002");
    }

    private static boolean stored(long seq) {
        return !IngestedLines.under(listener.ingestDir()).missingBelow(seq + 1).contains(seq);
    }

    private static ListenerMeters meters() {
        return PipelineMetrics.of(listener.context()).listener(TestPipeline.LISTENER);
    }
}
