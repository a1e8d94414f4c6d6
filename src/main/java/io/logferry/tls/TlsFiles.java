package io.logferry.tls;

import java.nio.file.Path;

/**
 * Where a host's TLS identity and trusted CA come from: PEM files (certificate chain, PKCS#8 key) or a PKCS12
 * keystore with its password. Either way the CA file is PEM and is the only thing trusted: never the JDK's
 * default trust store, so a certificate from a public CA cannot get in.
 */
public sealed interface TlsFiles {

    /** PEM file with the CA certificate(s) peers must be signed by. */
    Path trustedCa();

    /**
     * @param certificateChain PEM: this host's certificate first, then intermediates (the CA may follow)
     * @param privateKey PEM PKCS#8 (or traditional EC/RSA) key of that certificate, unencrypted
     * @param trustedCa PEM CA certificate(s) to trust
     */
    record Pem(Path certificateChain, Path privateKey, Path trustedCa) implements TlsFiles {
    }

    /**
     * @param keyStore PKCS12 file with exactly one private key entry and its chain
     * @param password the keystore's password (also the key's, as PKCS12 tools write it)
     * @param trustedCa PEM CA certificate(s) to trust
     */
    record Pkcs12(Path keyStore, String password, Path trustedCa) implements TlsFiles {

        @Override
        public String toString() {
            return "Pkcs12[keyStore=" + keyStore + ", password=********, trustedCa=" + trustedCa + "]";
        }
    }
}
