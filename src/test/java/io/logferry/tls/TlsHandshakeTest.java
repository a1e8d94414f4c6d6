package io.logferry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.logferry.listener.PeerIdentity;
import io.logferry.testsupport.TestPki;
import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertificateExpiredException;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real TLS handshakes on 127.0.0.1 between a server built from {@link SslContextParametersFactory#server} and
 * clients of every kind: the listener must learn a good client's CN from the verified certificate, and must refuse
 * an impostor CA's client, an expired client, a client without a certificate and TLS 1.1 during the handshake,
 * before reading a single byte of application data.
 */
class TlsHandshakeTest {

    /** An upper bound for a handshake and one line on a machine that may be busy; answers come at once. */
    private static final int TIMEOUT_MS = 30_000;

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static SSLServerSocket server;
    private static ExecutorService acceptor;

    /** What the server saw on one connection. */
    private record Accepted(String commonName, String protocol, String line, Exception failure) {
    }

    @BeforeAll
    static void startServer() throws Exception {
        pki = new TestPki(dir);
        SSLContext context = SslContextParametersFactory.server(pki.directory().pemFiles(TestPki.SERVER))
                .createSSLContext(null);
        server = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 8, InetAddress.getLoopbackAddress());
        acceptor = Executors.newSingleThreadExecutor();
    }

    @AfterAll
    static void stopServer() throws IOException {
        acceptor.shutdownNow();
        server.close();
    }

    @Test
    void serverRequiresClientCertificatesAndOffersOnlyTls13And12() {
        assertThat(server.getNeedClientAuth()).isTrue();
        assertThat(server.getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Test
    void clientFromTheCaIsAcceptedAndKnownByItsCertificateCommonName() throws Exception {
        SSLContext client = SslContextParametersFactory.client(pki.directory().pemFiles(TestPki.CLIENT))
                .createSSLContext(null);

        Accepted accepted = exchange(client, null, "<14>1 - spoofed-host app - - - hello\n");

        assertThat(accepted.failure()).isNull();
        assertThat(accepted.commonName()).isEqualTo(TestPki.CLIENT);
        assertThat(accepted.protocol()).isEqualTo("TLSv1.3");
        assertThat(accepted.line()).isEqualTo("<14>1 - spoofed-host app - - - hello");
    }

    @Test
    void clientLoadedFromItsPkcs12KeystoreIsAccepted() throws Exception {
        PkiDirectory files = pki.directory();
        String password = Files.readString(files.keyStorePassword(TestPki.CLIENT)).strip();
        SSLContext client = SslContextParametersFactory.client(
                new TlsFiles.Pkcs12(files.keyStore(TestPki.CLIENT), password, files.caCertificate()))
                .createSSLContext(null);

        Accepted accepted = exchange(client, null, "hello\n");

        assertThat(accepted.failure()).isNull();
        assertThat(accepted.commonName()).isEqualTo(TestPki.CLIENT);
    }

    @Test
    void tls12ClientIsAcceptedToo() throws Exception {
        SSLContext client = SslContextParametersFactory.client(pki.directory().pemFiles(TestPki.CLIENT))
                .createSSLContext(null);

        Accepted accepted = exchange(client, "TLSv1.2", "hello\n");

        assertThat(accepted.failure()).isNull();
        assertThat(accepted.protocol()).isEqualTo("TLSv1.2");
        assertThat(accepted.commonName()).isEqualTo(TestPki.CLIENT);
    }

    @Test
    void clientWithTheSameNameFromAnImpostorCaIsRefusedAtTheHandshake() throws Exception {
        SSLContext impostor = TestPki.jdkContext(pki.impostorClient(TestPki.CLIENT), pki.authority().certificate());

        Accepted accepted = exchange(impostor, null, "forged\n");

        assertRefused(accepted);
    }

    @Test
    void clientWithAnExpiredCertificateIsRefusedAtTheHandshake() throws Exception {
        SSLContext expired = TestPki.jdkContext(pki.expiredClient("old-01"), pki.authority().certificate());

        Accepted accepted = exchange(expired, null, "stale\n");

        assertRefused(accepted);
        assertThat(accepted.failure()).hasRootCauseInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void clientWithoutACertificateIsRefusedAtTheHandshake() throws Exception {
        SSLContext anonymous = TestPki.jdkContext(null, pki.authority().certificate());

        Accepted accepted = exchange(anonymous, null, "anonymous\n");

        assertRefused(accepted);
    }

    @Test
    void tls11ClientHelloIsRefusedWithAnAlert() throws Exception {
        Future<Accepted> result = acceptor.submit(TlsHandshakeTest::acceptOne);
        int firstByteOfAnswer;
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort())) {
            raw.setSoTimeout(TIMEOUT_MS);
            raw.getOutputStream().write(tls11ClientHello());
            raw.getOutputStream().flush();
            firstByteOfAnswer = raw.getInputStream().read();
        }

        Accepted accepted = result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);

        assertRefused(accepted);
        assertThat(accepted.failure()).hasMessageContaining("TLSv1.1");
        assertThat(firstByteOfAnswer).as("TLS record type 21 (alert) or end of stream").isIn(21, -1);
    }

    @Test
    void clientRefusesAServerWhoseCertificateComesFromAnotherCa() throws Exception {
        IssuedCertificate impostorServer = CertificateAuthority.impostorOf(pki.authority())
                .issue(CertificateRequest.server(TestPki.SERVER, List.of("127.0.0.1")));
        SSLContext serverContext = TestPki.jdkContext(impostorServer, pki.authority().certificate());
        SSLContext client = SslContextParametersFactory.client(pki.directory().pemFiles(TestPki.CLIENT))
                .createSSLContext(null);
        try (SSLServerSocket fake = (SSLServerSocket) serverContext.getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<?> accepting = acceptor.submit(() -> {
                try (SSLSocket socket = (SSLSocket) fake.accept()) {
                    socket.setSoTimeout(TIMEOUT_MS);
                    socket.startHandshake();
                } catch (IOException expected) {
                    // the client aborts the handshake
                }
                return null;
            });
            try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", fake.getLocalPort())) {
                socket.setSoTimeout(TIMEOUT_MS);

                assertThat(catchThrowable(socket::startHandshake)).isInstanceOf(SSLHandshakeException.class);
            }
            accepting.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        }
    }

    private static void assertRefused(Accepted accepted) {
        assertThat(accepted.failure()).isInstanceOf(SSLHandshakeException.class);
        assertThat(accepted.commonName()).isNull();
        assertThat(accepted.line()).as("application data read by the server").isNull();
    }

    /** Connects with {@code client}, sends {@code data}, and returns what the server saw. */
    private static Accepted exchange(SSLContext client, String onlyProtocol, String data) throws Exception {
        Future<Accepted> result = acceptor.submit(TlsHandshakeTest::acceptOne);
        try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", server.getLocalPort())) {
            socket.setSoTimeout(TIMEOUT_MS);
            SSLParameters parameters = socket.getSSLParameters();
            parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the server certificate must name 127.0.0.1
            if (onlyProtocol != null) {
                parameters.setProtocols(new String[] {onlyProtocol});
            }
            socket.setSSLParameters(parameters);
            try {
                OutputStream out = socket.getOutputStream();
                out.write(data.getBytes(StandardCharsets.UTF_8));
                out.flush();
                socket.getInputStream().read(); // the server answers once it has read the line
            } catch (IOException refused) {
                // a refused client fails here or in the handshake; the server's side is what the tests check
            }
        }
        return result.get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Accepts one connection: handshake, peer CN, one line of data, an answer byte. */
    private static Accepted acceptOne() throws IOException {
        try (SSLSocket socket = (SSLSocket) server.accept()) {
            socket.setSoTimeout(TIMEOUT_MS);
            try {
                socket.startHandshake();
            } catch (IOException e) {
                return new Accepted(null, null, null, e);
            }
            String commonName = PeerIdentity.commonName(socket.getSession());
            String line = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))
                    .readLine();
            socket.getOutputStream().write('k');
            socket.getOutputStream().flush();
            return new Accepted(commonName, socket.getSession().getProtocol(), line, null);
        }
    }

    /**
     * A TLS 1.1 ClientHello, written by hand because this JDK's own client refuses to send one (TLS 1.0 and 1.1
     * are in {@code jdk.tls.disabledAlgorithms}): the server must refuse the protocol itself.
     */
    private static byte[] tls11ClientHello() {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        byte[] suites = {(byte) 0xC0, 0x09, (byte) 0xC0, 0x13, 0x00, 0x2F}; // ECDHE-ECDSA/RSA-AES128-SHA, RSA-AES128-SHA
        int bodyLength = 2 + 32 + 1 + 2 + suites.length + 2;
        ByteArrayOutputStream hello = new ByteArrayOutputStream();
        hello.writeBytes(new byte[] {0x16, 0x03, 0x02, 0, (byte) (4 + bodyLength)}); // handshake record, TLS 1.1
        hello.writeBytes(new byte[] {0x01, 0, 0, (byte) bodyLength}); // ClientHello
        hello.writeBytes(new byte[] {0x03, 0x02}); // client_version TLS 1.1
        hello.writeBytes(random);
        hello.write(0); // no session id
        hello.writeBytes(new byte[] {0, (byte) suites.length});
        hello.writeBytes(suites);
        hello.writeBytes(new byte[] {0x01, 0x00}); // null compression only
        return hello.toByteArray();
    }
}
