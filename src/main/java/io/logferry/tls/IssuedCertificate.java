package io.logferry.tls;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * A host certificate with its private key and the chain a peer needs to verify it: the certificate first, then
 * the CA that signed it.
 */
public record IssuedCertificate(PrivateKey privateKey, List<X509Certificate> chain) {

    public IssuedCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain holds at least the certificate itself");
        }
    }

    public X509Certificate certificate() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "IssuedCertificate[" + certificate().getSubjectX500Principal().getName() + ", key not shown]";
    }
}
