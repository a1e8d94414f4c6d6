package io.logferry.listener;

import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import javax.security.auth.x500.X500Principal;

/**
 * The source identity of a syslog peer: the common name (CN) of the certificate it proved to own in the TLS
 * handshake (DESIGN invariant 6). The HOSTNAME inside a frame, or any header a client could send, never is.
 *
 * <p>The certificate comes from {@link SSLSession#getPeerCertificates()}, which holds only what the trust manager
 * verified; the deprecated {@code getPeerCertificateChain()} is not used. The subject is read through
 * {@link LdapName}, so escaped characters ({@code CN=a\,b}) come out as the plain value ({@code a,b}), and
 * a subject with no CN, with several, or with a CN that is not a string is refused rather than guessed at.
 *
 * <p>The CN is whatever the CA signed: code that puts it into a file path must still check it is a safe name.
 */
public final class PeerIdentity {

    private static final String COMMON_NAME = "CN";

    private PeerIdentity() {
    }

    /**
     * The CN of the peer's own (first) certificate in a session whose handshake completed.
     *
     * @throws SSLPeerUnverifiedException when the peer sent no certificate, or its subject has no single CN
     */
    public static String commonName(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("peer sent no X.509 certificate");
        }
        return commonName(leaf.getSubjectX500Principal());
    }

    /**
     * The single CN of {@code subject}, unescaped.
     *
     * @throws SSLPeerUnverifiedException when the subject has no CN, several, or one whose value is not text
     */
    public static String commonName(X500Principal subject) throws SSLPeerUnverifiedException {
        String name = subject.getName(X500Principal.RFC2253);
        String found = null;
        try {
            for (Rdn rdn : new LdapName(name).getRdns()) {
                // toAttributes splits a multi-valued RDN (CN=a+O=b) into its attributes.
                Attribute commonName = rdn.toAttributes().get(COMMON_NAME);
                if (commonName == null) {
                    continue;
                }
                for (NamingEnumeration<?> values = commonName.getAll(); values.hasMore(); ) {
                    found = single(found, values.next(), name);
                }
            }
        } catch (NamingException e) {
            throw new SSLPeerUnverifiedException("certificate subject '" + name + "' is not a valid name: "
                    + e.getMessage());
        }
        if (found == null) {
            throw new SSLPeerUnverifiedException("certificate subject '" + name + "' has no CN");
        }
        return found;
    }

    private static String single(String found, Object value, String name) throws SSLPeerUnverifiedException {
        if (!(value instanceof String text) || text.isEmpty()) {
            throw new SSLPeerUnverifiedException("certificate subject '" + name + "' has a CN that is not text");
        }
        if (found != null) {
            throw new SSLPeerUnverifiedException("certificate subject '" + name
                    + "' has more than one CN; the source identity would be ambiguous");
        }
        return text;
    }
}
