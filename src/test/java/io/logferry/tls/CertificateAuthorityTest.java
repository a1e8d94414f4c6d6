package io.logferry.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.security.SignatureException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CertificateAuthorityTest {

    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final int DNS_NAME = 2;
    private static final int IP_ADDRESS = 7;
    private static final int KEY_CERT_SIGN = 5;
    private static final int DIGITAL_SIGNATURE = 0;

    private static CertificateAuthority ca;

    @BeforeAll
    static void createCa() {
        ca = CertificateAuthority.create("logferry CA", Validity.days(30));
    }

    @Test
    void caIsASelfSignedEcCaThatMaySignOnlyHostCertificates() throws Exception {
        X509Certificate certificate = ca.certificate();

        certificate.verify(certificate.getPublicKey());
        assertThat(certificate.getSubjectX500Principal()).isEqualTo(certificate.getIssuerX500Principal());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=logferry CA");
        assertThat(certificate.getBasicConstraints()).isZero();
        assertThat(certificate.getKeyUsage()[KEY_CERT_SIGN]).isTrue();
        assertThat(certificate.getCriticalExtensionOIDs()).contains("2.5.29.19", "2.5.29.15");
        assertThat(certificate.getPublicKey().getAlgorithm()).isEqualTo("EC");
        assertThat(certificate.getSigAlgName()).isEqualTo("SHA256withECDSA");
    }

    @Test
    void clientCertificateIsForClientAuthAndNamesItsHostInCnAndSan() throws Exception {
        IssuedCertificate issued = ca.issue(CertificateRequest.client("web-01"));
        X509Certificate certificate = issued.certificate();

        certificate.verify(ca.certificate().getPublicKey());
        assertThat(certificate.getSubjectX500Principal().getName()).isEqualTo("CN=web-01");
        assertThat(certificate.getIssuerX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(certificate.getExtendedKeyUsage()).containsExactly(CLIENT_AUTH);
        assertThat(subjectAltNames(certificate)).containsExactly(List.of(DNS_NAME, "web-01"));
        assertThat(certificate.getBasicConstraints()).isEqualTo(-1);
        assertThat(certificate.getKeyUsage()[DIGITAL_SIGNATURE]).isTrue();
        assertThat(issued.chain()).containsExactly(certificate, ca.certificate());
        assertThat(KeyMatch.matches(issued.privateKey(), certificate.getPublicKey())).isTrue();
    }

    @Test
    void serverCertificateIsForServerAuthAndCarriesExtraNamesAndAddresses() throws Exception {
        X509Certificate certificate = ca.issue(CertificateRequest.server("collector.example",
                List.of("127.0.0.1", "localhost", "::1"))).certificate();

        assertThat(certificate.getExtendedKeyUsage()).containsExactly(SERVER_AUTH);
        assertThat(subjectAltNames(certificate)).containsExactly(
                List.of(DNS_NAME, "collector.example"), List.of(IP_ADDRESS, "127.0.0.1"),
                List.of(DNS_NAME, "localhost"), List.of(IP_ADDRESS, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void serialNumbersAreRandomAndPositive() {
        X509Certificate first = ca.issue(CertificateRequest.client("a")).certificate();
        X509Certificate second = ca.issue(CertificateRequest.client("a")).certificate();

        assertThat(first.getSerialNumber()).isNotEqualTo(second.getSerialNumber());
        assertThat(first.getSerialNumber().signum()).isPositive();
        assertThat(first.getSerialNumber().bitLength()).isGreaterThan(64).isLessThanOrEqualTo(159);
    }

    @Test
    void certificateWithAValidityInThePastIsExpired() {
        Instant now = Instant.now();
        X509Certificate expired = ca.issue(CertificateRequest.client("old-01").withValidity(
                Validity.between(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1))))).certificate();

        assertThat(catchThrowable(expired::checkValidity)).isInstanceOf(CertificateExpiredException.class);
    }

    @Test
    void validityInDaysStartsAlittleInThePastForClockSkew() {
        Instant before = Instant.now();
        X509Certificate certificate = ca.issue(CertificateRequest.client("a")
                .withValidity(Validity.days(7))).certificate();
        Instant after = Instant.now();

        assertThat(certificate.getNotBefore().toInstant()).isBefore(before);
        // seven days from issue, to the whole second X.509 keeps, however long issuing took on a busy machine
        assertThat(certificate.getNotAfter().toInstant())
                .isBetween(before.plus(Duration.ofDays(7)).minusSeconds(1), after.plus(Duration.ofDays(7)));
    }

    @Test
    void impostorHasTheSameNameButItsCertificatesDoNotVerifyAgainstTheGenuineCa() {
        CertificateAuthority impostor = CertificateAuthority.impostorOf(ca);
        X509Certificate forged = impostor.issue(CertificateRequest.client("web-01")).certificate();

        assertThat(impostor.certificate().getSubjectX500Principal()).isEqualTo(ca.certificate().getSubjectX500Principal());
        assertThat(impostor.certificate().getPublicKey()).isNotEqualTo(ca.certificate().getPublicKey());
        assertThat(catchThrowable(() -> forged.verify(ca.certificate().getPublicKey())))
                .isInstanceOf(SignatureException.class);
    }

    @Test
    void caFromFilesMustBeACaWhoseKeyMatches() {
        IssuedCertificate host = ca.issue(CertificateRequest.client("web-01"));

        assertThatThrownBy(() -> CertificateAuthority.of(host.certificate(), host.privateKey()))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("not a CA certificate");
        assertThatThrownBy(() -> CertificateAuthority.of(ca.certificate(), host.privateKey()))
                .isInstanceOf(TlsSetupException.class).hasMessageContaining("does not belong");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc", "a/b", "-web", "web-", "web..01", "web 01", "web,01", "*.example", "a_b"})
    void refusesCommonNamesThatAreNotHostNames(String commonName) {
        assertThatThrownBy(() -> CertificateRequest.client(commonName))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a host name");
    }

    @Test
    void refusesSubjectAltNamesThatAreNeitherHostNamesNorAddresses() {
        assertThatThrownBy(() -> CertificateRequest.server("collector", List.of("256.1.1.1.1/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SAN '256.1.1.1.1/x'");
    }

    private static List<List<?>> subjectAltNames(X509Certificate certificate) {
        try {
            return List.copyOf(certificate.getSubjectAlternativeNames());
        } catch (java.security.cert.CertificateParsingException e) {
            throw new AssertionError(e);
        }
    }
}
