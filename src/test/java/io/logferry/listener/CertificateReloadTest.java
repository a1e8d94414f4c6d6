package io.logferry.listener;

import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.SyslogClient;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import io.logferry.tls.PkiDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLSocket;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.logferry.testsupport.SyslogClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Certificates renewed while logferry runs: the listener presents a renewed certificate and trusts a renewed CA
 * file on new connections within seconds, connections already open keep working, and a forwarder's renewed
 * certificate is what its next connection presents.
 */
class CertificateReloadTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestPipeline listener(TestPki pki, int port) throws Exception {
        return TestPipeline.listener(dir.resolve("listener"), pki.directory(), port,
                Map.of("certReloadInterval", "200"));
    }

    @Test
    void aRenewedListenerCertificateServesNewConnectionsWhileOpenOnesGoOn() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        IssuedCertificate client = pki.issue(CertificateRequest.client("renew-client"));
        X509Certificate ca = pki.authority().certificate();
        int port = FreePort.find();
        try (TestPipeline listener = listener(pki, port);
             SyslogClient open = SyslogClient.tls(port, client, ca)) {
            BigInteger before = serverSerial(port, client, ca);
            open.send(frame(LogWriter.line("h", 1)));

            IssuedCertificate renewed = pki.reissue(CertificateRequest.server(TestPki.SERVER,
                    List.of("127.0.0.1")));
            BigInteger expected = renewed.chain().get(0).getSerialNumber();
            assertThat(expected).isNotEqualTo(before);
            await().atMost(WAIT).until(() -> expected.equals(serverSerial(port, client, ca)));

            open.send(frame(LogWriter.line("h", 2)));
            await().atMost(WAIT).until(() -> IngestedLines.under(listener.ingestDir()).count() == 2);
        }
    }

    @Test
    void aBrokenRenewalIsRefusedAndTheListenerKeepsServingTheOldCertificate() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        IssuedCertificate client = pki.issue(CertificateRequest.client("renew-client"));
        X509Certificate ca = pki.authority().certificate();
        int port = FreePort.find();
        try (TestPipeline listener = listener(pki, port)) {
            BigInteger before = serverSerial(port, client, ca);
            // another host's key in place of the listener's: the pair does not match
            Files.copy(pki.directory().key("renew-client"), pki.directory().key(TestPki.SERVER),
                    StandardCopyOption.REPLACE_EXISTING);
            // several reload intervals pass; every new connection still gets the old, valid certificate
            await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(5))
                    .until(() -> before.equals(serverSerial(port, client, ca)));
        }
    }

    @Test
    void aCaFileThatGainsANewCaAdmitsItsClientsWithoutARestart() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        TestPki next = new TestPki(dir.resolve("next-pki"));
        IssuedCertificate nextClient = next.issue(CertificateRequest.client("next-client"));
        int port = FreePort.find();
        try (TestPipeline listener = listener(pki, port)) {
            X509Certificate listenerCa = pki.authority().certificate();
            assertThat(handshakes(port, nextClient, listenerCa)).as("a CA it does not trust yet").isFalse();
            // the CA file now holds both CAs, as during a CA rotation
            Files.writeString(pki.directory().caCertificate(), Files.readString(pki.directory().caCertificate())
                    + Files.readString(next.directory().caCertificate()));
            await().atMost(WAIT).until(() -> handshakes(port, nextClient, listenerCa));
        }
    }

    @Test
    void aForwardersRenewedCertificateIsPresentedOnItsNextConnection() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        int port = FreePort.find();
        PkiDirectory files = pki.directory();
        Map<String, String> params = new HashMap<>(Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "certFile", files.certificate(TestPki.CLIENT).toString(),
                "keyFile", files.key(TestPki.CLIENT).toString(),
                "caFile", files.caCertificate().toString(), "certReloadInterval", "200", "reconnectDelay", "100",
                "maxReconnectDelay", "200"));
        try (TestPipeline forwarder = TestPipeline.start(dir.resolve("forwarder"), "tail-to-syslog", params);
             LogWriter writer = new LogWriter(forwarder.logs().resolve("app.log"))) {
            TestPipeline listener = listener(pki, port);
            writer.write(10);
            await().atMost(WAIT).until(() -> IngestedLines.under(listener.ingestDir()).count() == 10);
            // the forwarder's files now hold another identity (CN web-02); the listener restarts, so the forwarder
            // connects again, and the listener files what comes next under the CN it is shown
            pki.issue(CertificateRequest.client("web-02"));
            Files.copy(files.key("web-02"), files.key(TestPki.CLIENT), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(files.certificate("web-02"), files.certificate(TestPki.CLIENT),
                    StandardCopyOption.REPLACE_EXISTING);
            listener.close();
            writer.write(10);
            try (TestPipeline again = listener(pki, port)) {
                await().atMost(WAIT).until(() -> Files.isDirectory(again.ingestDir().resolve("web-02"))
                        && IngestedLines.under(again.ingestDir().resolve("web-02")).count() >= 10);
            }
        }
    }

    private static BigInteger serverSerial(int port, IssuedCertificate client, X509Certificate ca) throws Exception {
        try (SSLSocket socket = (SSLSocket) TestPki.jdkContext(client, ca).getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), port)) {
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSerialNumber();
        }
    }

    /** True if a client with {@code identity} gets a connection the listener keeps (TLS 1.3 refuses late). */
    private static boolean handshakes(int port, IssuedCertificate identity, X509Certificate ca) {
        try (SyslogClient client = SyslogClient.tls(port, identity, ca)) {
            client.send(frame(LogWriter.line("n", 9)));
            return !client.closedByPeerWithin(Duration.ofMillis(500));
        } catch (Exception e) {
            return false;
        }
    }
}
