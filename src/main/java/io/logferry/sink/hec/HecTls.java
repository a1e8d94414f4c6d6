package io.logferry.sink.hec;

import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.Collection;

/**
 * TLS towards the collectors: the JVM's trust store by default, only the CAs of {@code caFile} when given, or
 * (with {@code tlsVerify=false}, logged as a warning) no verification at all.
 */
final class HecTls {

    private static final Logger LOG = LoggerFactory.getLogger(HecTls.class);

    private HecTls() {
    }

    static TlsSocketStrategy strategy(HecConfiguration config) {
        ClientTlsStrategyBuilder builder = ClientTlsStrategyBuilder.create().setTlsVersions("TLSv1.3", "TLSv1.2");
        if (!config.tlsVerify()) {
            LOG.warn("HEC sink {}: certificate verification is OFF (tlsVerify=false); anyone on the path can read"
                    + " and forge the traffic. Give caFile instead.", config);
            return builder.setSslContext(context(new TrustManager[]{new TrustAll()}))
                    .setHostnameVerifier(NoopHostnameVerifier.INSTANCE).buildClassic();
        }
        if (!config.caFile().isEmpty()) {
            builder.setSslContext(context(trustManagers(Path.of(config.caFile()))));
        }
        return builder.buildClassic();
    }

    private static TrustManager[] trustManagers(Path caFile) {
        try (InputStream in = Files.newInputStream(caFile)) {
            Collection<? extends Certificate> cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (cas.isEmpty()) {
                throw new IllegalArgumentException("HEC caFile " + caFile + " holds no certificate: give a PEM file"
                        + " with the CA certificate(s) that signed the collectors' certificates");
            }
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            int n = 0;
            for (Certificate ca : cas) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            return tmf.getTrustManagers();
        } catch (java.io.IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("Cannot read HEC caFile " + caFile + " (" + e.getMessage()
                    + "): give a readable PEM file with the collectors' CA certificate(s)", e);
        }
    }

    private static SSLContext context(TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("TLS is not available in this JVM", e);
        }
    }

    /** Accepts any certificate: only for tlsVerify=false, which logs a warning. */
    private static final class TrustAll implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
