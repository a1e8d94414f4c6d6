package io.logferry.listener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLPeerUnverifiedException;
import javax.security.auth.x500.X500Principal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The handshake path ({@code commonName(SSLSession)}) is exercised in {@code TlsHandshakeTest}. */
class PeerIdentityTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "CN=web-01|web-01",
        "CN=web-01, O=Example, C=DE|web-01",
        "C=DE, O=Example, CN=web-01|web-01",
        "'CN=web\\,01, O=x'|'web,01'",
        "'CN=\"quoted, name\"'|'quoted, name'",
        "CN=a\\+b|a+b",
        "O=x+CN=multi|multi",
        "CN=h\u00f4te|h\u00f4te",
    })
    void takesTheSingleCommonNameUnescaped(String subject, String commonName) throws Exception {
        assertThat(PeerIdentity.commonName(new X500Principal(subject))).isEqualTo(commonName);
    }

    @Test
    void refusesASubjectWithoutCommonName() {
        assertThatThrownBy(() -> PeerIdentity.commonName(new X500Principal("O=Example, C=DE")))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageContaining("has no CN");
    }

    @Test
    void refusesASubjectWithTwoCommonNamesAsAmbiguous() {
        assertThatThrownBy(() -> PeerIdentity.commonName(new X500Principal("CN=web-01, CN=db-01")))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageContaining("more than one CN");
        assertThatThrownBy(() -> PeerIdentity.commonName(new X500Principal("CN=web-01+CN=db-01")))
                .isInstanceOf(SSLPeerUnverifiedException.class)
                .hasMessageContaining("more than one CN");
    }
}
