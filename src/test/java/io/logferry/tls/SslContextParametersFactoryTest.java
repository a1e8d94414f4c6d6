package io.logferry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logferry.testsupport.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SslContextParametersFactoryTest {

    @TempDir
    static Path dir;

    private static TestPki pki;
    private static PkiDirectory files;

    @BeforeAll
    static void issue() {
        pki = new TestPki(dir);
        files = pki.directory();
    }

    @Test
    void serverEnginesRequireAClientCertificateAndSpeakOnlyTls13And12() throws Exception {
        SSLContext context = SslContextParametersFactory.server(files.pemFiles(TestPki.SERVER)).createSSLContext(null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(false);

        assertThat(engine.getNeedClientAuth()).isTrue();
        assertThat(engine.getEnabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
    }

    @Test
    void trustsOnlyTheGivenCaNotTheJdkDefaults() throws Exception {
        SSLContextParameters parameters = SslContextParametersFactory.client(files.pemFiles(TestPki.CLIENT));

        TrustManager[] trustManagers = parameters.getTrustManagers().createTrustManagers();

        assertThat(trustManagers).singleElement().isInstanceOf(X509TrustManager.class);
        assertThat(((X509TrustManager) trustManagers[0]).getAcceptedIssuers())
                .containsExactly(pki.authority().certificate());
    }

    @Test
    void missingFileIsNamedWithTheCommandThatCreatesIt() {
        Path missing = dir.resolve("nope.crt");

        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pem(missing, files.key(TestPki.CLIENT), files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist")
                .hasMessageContaining("logferry pki issue");
    }

    @Test
    void wrongKeystorePasswordIsNamedAsSuch() {
        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pkcs12(files.keyStore(TestPki.CLIENT), "wrong", files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("wrong password for PKCS12 keystore " + files.keyStore(TestPki.CLIENT))
                .hasMessageContaining(".p12.pass");
    }

    @Test
    void keyOfAnotherCertificateIsRefused() {
        assertThatThrownBy(() -> SslContextParametersFactory.server(new TlsFiles.Pem(
                files.certificate(TestPki.SERVER), files.key(TestPki.CLIENT), files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("private key " + files.key(TestPki.CLIENT) + " does not belong to certificate")
                .hasMessageContaining(files.certificate(TestPki.SERVER).toString());
    }

    @Test
    void fileWithoutPemContentIsNamedWithWhatWasExpected() throws Exception {
        Path garbage = Files.write(dir.resolve("garbage.crt"), new byte[] {0x30, (byte) 0x82, 1, 2, 3, 'x', '\n'});
        Path textKey = Files.writeString(dir.resolve("text.key"), "this is not a key\n");

        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pem(garbage, files.key(TestPki.CLIENT), files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("certificate chain file " + garbage + " holds no PEM")
                .hasMessageContaining("-----BEGIN CERTIFICATE-----");
        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pem(files.certificate(TestPki.CLIENT), textKey, files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("private key file " + textKey + " holds no PEM");
    }

    @Test
    void brokenPemBlockIsNamed() throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.crt"),
                "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");

        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pem(broken, files.key(TestPki.CLIENT), files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(broken.toString());
    }

    @Test
    void pemGivenAsKeystoreIsRefusedWithTheOtherOption() {
        assertThatThrownBy(() -> SslContextParametersFactory.client(
                new TlsFiles.Pkcs12(files.certificate(TestPki.CLIENT), "x", files.caCertificate())))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining(files.certificate(TestPki.CLIENT) + " cannot be read")
                .hasMessageContaining("use the PEM options");
    }

    @Test
    void hostCertificateGivenAsCaIsRefused() {
        assertThatThrownBy(() -> SslContextParametersFactory.client(new TlsFiles.Pem(
                files.certificate(TestPki.CLIENT), files.key(TestPki.CLIENT), files.certificate(TestPki.SERVER))))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("CA file " + files.certificate(TestPki.SERVER))
                .hasMessageContaining("not a CA certificate");
    }

    @Test
    void expiredOwnCertificateIsRefusedAtStartWithTheFix() {
        Instant now = Instant.now();
        pki.issue(CertificateRequest.client("old-01")
                .withValidity(Validity.between(now.minus(Duration.ofDays(5)), now.minus(Duration.ofDays(1)))));

        assertThatThrownBy(() -> SslContextParametersFactory.client(files.pemFiles("old-01")))
                .isInstanceOf(TlsSetupException.class)
                .hasMessageContaining("expired on")
                .hasMessageContaining("pki issue --cn NAME --force");
    }

    @Test
    void keystorePasswordIsNotShownByToString() {
        TlsFiles.Pkcs12 pkcs12 = new TlsFiles.Pkcs12(Path.of("a.p12"), "s3cret", Path.of("ca.crt"));
        SSLContextParameters parameters = SslContextParametersFactory.client(files.pemFiles(TestPki.CLIENT));

        assertThat(pkcs12.toString()).doesNotContain("s3cret");
        assertThat(Arrays.asList(parameters.toString().split(","))).noneMatch(part -> part.contains("keyPassword=")
                && !part.contains("****"));
    }
}
