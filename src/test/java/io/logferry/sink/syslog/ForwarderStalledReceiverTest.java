package io.logferry.sink.syslog;

import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import io.logferry.tls.PkiDirectory;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Receivers that misbehave without closing: one that completes the handshake and never reads (the write timeout
 * replaces the connection instead of hanging the route), and a plain RFC 5425 receiver when acks are required
 * (refused, and the health check says why).
 */
class ForwarderStalledReceiverTest {

    @TempDir
    Path dir;
    private PkiDirectory pki;
    private SSLServerSocket server;
    private final List<SSLSocket> accepted = new CopyOnWriteArrayList<>();
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor();

    @BeforeEach
    void startReceiverThatNeverReads() throws Exception {
        TestPki testPki = new TestPki(dir.resolve("pki"));
        pki = testPki.directory();
        IssuedCertificate serverCert = testPki.issue(CertificateRequest.server("stalled.example",
                List.of("127.0.0.1")));
        server = (SSLServerSocket) TestPki.jdkContext(serverCert, testPki.authority().certificate())
                .getServerSocketFactory().createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        server.setReceiveBufferSize(16 * 1024);
        acceptor.submit(() -> {
            while (!server.isClosed()) {
                SSLSocket socket = (SSLSocket) server.accept();
                socket.startHandshake();
                accepted.add(socket); // and never read from it
            }
            return null;
        });
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (SSLSocket socket : accepted) {
            socket.close();
        }
        acceptor.shutdownNow();
    }

    @Test
    void aReceiverThatStopsReadingIsReplacedAfterTheWriteTimeout() throws Exception {
        try (TestPipeline forwarder = forwarder(Map.of("writeTimeout", "1000", "acks", "off"));
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            // stopping waits for unconfirmed batches up to the shutdown timeout; nothing will confirm these
            forwarder.context().getShutdownStrategy().setTimeout(2);
            writer.write(60_000); // about 17 MB: more than the socket buffers hold
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 2);
            assertThat(forwarder.committedOffset()).as("nothing was confirmed by a receiver that read nothing")
                    .isNull();
        }
    }

    @Test
    void requiredAcksRefuseAPlainReceiverAndTheHealthCheckSaysWhy() throws Exception {
        try (TestPipeline forwarder = forwarder(Map.of("acks", "required"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() >= 1);
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HealthCheck.Result result = HealthCheckHelper.invokeReadiness(forwarder.context()).stream()
                        .filter(r -> r.getCheck().getId().equals("sink:syslog-tail-to-syslog")).findFirst()
                        .orElseThrow();
                assertThat(result.getState()).isEqualTo(HealthCheck.State.DOWN);
                assertThat(result.getMessage()).hasValueSatisfying(m -> assertThat(m).contains("acks=required"));
            });
        }
    }

    private TestPipeline forwarder(Map<String, String> extra) throws Exception {
        Map<String, String> params = new HashMap<>(Map.of(
                "host", "127.0.0.1",
                "port", String.valueOf(server.getLocalPort()),
                "certFile", pki.certificate(TestPki.CLIENT).toString(),
                "keyFile", pki.key(TestPki.CLIENT).toString(),
                "caFile", pki.caCertificate().toString(),
                "reconnectDelay", "100",
                "maxReconnectDelay", "200"));
        params.putAll(extra);
        return TestPipeline.start(dir.resolve("forwarder"), "tail-to-syslog", params);
    }
}
