package io.logferry.tls;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.util.List;
import java.util.Objects;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.CipherSuitesParameters;
import org.apache.camel.support.jsse.ClientAuthentication;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.SSLContextServerParameters;
import org.apache.camel.support.jsse.SecureSocketProtocolsParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/**
 * Camel {@link SSLContextParameters} for mutual TLS between logferry hosts, from {@link TlsFiles}.
 *
 * <p>Both sides present their own certificate, trust only the given CA (never the JDK's default trust store),
 * and speak TLS 1.3 or 1.2 only, with AEAD cipher suites only ({@link #CIPHER_SUITES}). The server side requires a client certificate. The files are read and checked
 * when the parameters are built, so a wrong path, password or key fails at start-up with a {@link TlsSetupException}
 * naming the file, not at the first connection.
 *
 * <p>Two camel-netty settings still matter. On the listener, set {@code needClientAuth=true} on the endpoint:
 * camel-netty's {@code DefaultServerInitializerFactory} calls {@code engine.setNeedClientAuth(needClientAuth)} after
 * the context configured the engine, so its default {@code false} would silently undo {@code REQUIRE} here. On the
 * forwarder, set {@code hostnameVerification=true} so the listener's certificate must name the host dialled.
 */
public final class SslContextParametersFactory {

    /** The protocols enabled on both sides, newest first. */
    public static final List<String> PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /**
     * The cipher suites enabled on both sides: AEAD only (AES-GCM, ChaCha20-Poly1305) with forward secrecy. TLS 1.2's
     * CBC and SHA-1 suites, which the JDK still enables by default, are left out.
     */
    public static final List<String> CIPHER_SUITES = List.of(
            "TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256", "TLS_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    private SslContextParametersFactory() {
    }

    /** For a listener: presents its certificate and requires one from every client, signed by the trusted CA. */
    public static SSLContextParameters server(TlsFiles files) {
        SSLContextParameters parameters = common(files);
        SSLContextServerParameters server = new SSLContextServerParameters();
        server.setClientAuthentication(ClientAuthentication.REQUIRE.name());
        parameters.setServerParameters(server);
        return parameters;
    }

    /**
     * The SSL context of a listener ({@code server}) or a forwarder, rebuilt when its files change
     * ({@link ReloadingSslContext}); {@code who} names the route in log lines and errors.
     */
    public static ReloadingSslContext reloading(String who, TlsFiles files, boolean server, CamelContext context,
                                                long reloadIntervalMillis) {
        return new ReloadingSslContext(who, files, f -> {
            try {
                return (server ? server(f) : client(f)).createSSLContext(context);
            } catch (GeneralSecurityException | IOException e) {
                throw new TlsSetupException(who + ": cannot set up TLS: " + e.getMessage(), e);
            }
        }, reloadIntervalMillis);
    }

    /** For a forwarder: presents its certificate and accepts only a server signed by the trusted CA. */
    public static SSLContextParameters client(TlsFiles files) {
        return common(files);
    }

    private static SSLContextParameters common(TlsFiles files) {
        Objects.requireNonNull(files, "files");
        TlsIdentityLoader.Identity identity = TlsIdentityLoader.identity(files);

        KeyStoreParameters keyStore = new KeyStoreParameters();
        keyStore.setKeyStore(identity.keyStore());
        keyStore.setPassword(identity.password());
        KeyManagersParameters keyManagers = new KeyManagersParameters();
        keyManagers.setKeyStore(keyStore);
        keyManagers.setKeyPassword(identity.password());

        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setKeyStore(TlsIdentityLoader.trust(files.trustedCa()));
        TrustManagersParameters trustManagers = new TrustManagersParameters();
        trustManagers.setKeyStore(trustStore);

        SecureSocketProtocolsParameters protocols = new SecureSocketProtocolsParameters();
        protocols.setSecureSocketProtocol(PROTOCOLS);

        CipherSuitesParameters suites = new CipherSuitesParameters();
        suites.setCipherSuite(CIPHER_SUITES);

        SSLContextParameters parameters = new SSLContextParameters();
        parameters.setKeyManagers(keyManagers);
        parameters.setTrustManagers(trustManagers);
        parameters.setSecureSocketProtocols(protocols);
        parameters.setCipherSuites(suites);
        return parameters;
    }
}
