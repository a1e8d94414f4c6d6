package io.logferry.testsupport;

import io.logferry.tls.CertificateAuthority;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import io.logferry.tls.PkiDirectory;
import io.logferry.tls.Validity;
import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * A CA in a temporary directory with the hosts TLS tests need, plus plain-JDK SSL contexts for peers that do not
 * go through logferry's own loader (an impostor, an expired certificate, no certificate at all).
 */
public final class TestPki {

    public static final String SERVER = "collector.example";
    public static final String CLIENT = "web-01";

    private final PkiDirectory directory;
    private final CertificateAuthority authority;

    public TestPki(Path dir) {
        this.directory = new PkiDirectory(dir);
        this.authority = CertificateAuthority.create("logferry test CA", Validity.days(2));
        directory.writeAuthority(authority, false);
        issue(CertificateRequest.server(SERVER, List.of("127.0.0.1", "localhost")));
        issue(CertificateRequest.client(CLIENT));
    }

    public PkiDirectory directory() {
        return directory;
    }

    public CertificateAuthority authority() {
        return authority;
    }

    /** Issues and writes the files of {@code request}; the keystore password is generated. */
    public IssuedCertificate issue(CertificateRequest request) {
        IssuedCertificate issued = authority.issue(request);
        directory.writeHost(issued, request.commonName(), null, false);
        return issued;
    }

    /** Issues {@code request} again and replaces its files, as {@code pki issue --force} does. */
    public IssuedCertificate reissue(CertificateRequest request) {
        IssuedCertificate issued = authority.issue(request);
        directory.writeHost(issued, request.commonName(), null, true);
        return issued;
    }

    /** A client certificate for {@code commonName} that expired yesterday. */
    public IssuedCertificate expiredClient(String commonName) {
        Instant now = Instant.now();
        return authority.issue(CertificateRequest.client(commonName)
                .withValidity(Validity.between(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1)))));
    }

    /** A client certificate with the same CN from a CA with the same name but another key. */
    public IssuedCertificate impostorClient(String commonName) {
        return CertificateAuthority.impostorOf(authority).issue(CertificateRequest.client(commonName));
    }

    /** A plain JDK context presenting {@code identity} (none when null) and trusting {@code trusted}. */
    public static SSLContext jdkContext(IssuedCertificate identity, X509Certificate trusted)
            throws GeneralSecurityException, IOException {
        char[] password = "test".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        if (identity != null) {
            keys.setKeyEntry("host", identity.privateKey(), password, identity.chain().toArray(new Certificate[0]));
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", trusted);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }
}
