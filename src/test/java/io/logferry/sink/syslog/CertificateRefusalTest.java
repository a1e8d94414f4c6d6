package io.logferry.sink.syslog;

import io.netty.handler.codec.DecoderException;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;

import static org.assertj.core.api.Assertions.assertThat;

/** Which connection failures say that the receiver refused this forwarder's certificate. */
class CertificateRefusalTest {

    @Test
    void aReceivedCertificateAlertIsNamedWhereverItSitsInTheCauseChain() {
        assertThat(CertificateRefusal.alert(new SSLHandshakeException("Received fatal alert: bad_certificate")))
                .isEqualTo("bad_certificate");
        assertThat(CertificateRefusal.alert(new DecoderException(new SSLHandshakeException(
                "Received fatal alert: certificate_unknown")))).isEqualTo("certificate_unknown");
        assertThat(CertificateRefusal.alert(new SSLHandshakeException("Received fatal alert: unknown_ca")))
                .isEqualTo("unknown_ca");
    }

    @Test
    void otherFailuresAreNotTakenForARefusal() {
        assertThat(CertificateRefusal.alert(new SSLHandshakeException("Received fatal alert: handshake_failure")))
                .isNull();
        assertThat(CertificateRefusal.alert(new SSLHandshakeException("PKIX path building failed: bad_certificate")))
                .as("our own verification of the receiver, not an alert from it").isNull();
        assertThat(CertificateRefusal.alert(new IOException("Connection reset by peer"))).isNull();
        assertThat(CertificateRefusal.alert(null)).isNull();
    }
}
