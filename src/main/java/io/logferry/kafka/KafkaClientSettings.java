package io.logferry.kafka;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

/**
 * How a route reaches a Kafka cluster, shared by the tail-to-kafka sink and the kafka-lines source: bootstrap
 * servers, TLS from the same PEM files {@code logferry pki} writes (CA, certificate, PKCS#8 key), SASL (PLAIN or
 * SCRAM) and any further client property. Blank values (the templates' " ") mean unset. The password is never
 * logged.
 */
public final class KafkaClientSettings {

    private static final List<String> PROTOCOLS = List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final List<String> MECHANISMS = List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512");

    private String bootstrapServers = "127.0.0.1:9092";
    private String securityProtocol = "PLAINTEXT";
    private String caFile;
    private String certFile;
    private String keyFile;
    private String saslMechanism = "PLAIN";
    private String saslUsername;
    private String saslPassword;
    private String properties;

    /** Comma-separated host:port pairs of the brokers to ask for the cluster's metadata. */
    public void setBootstrapServers(String bootstrapServers) {
        this.bootstrapServers = blankToNull(bootstrapServers);
    }

    /** PLAINTEXT (loopback only), SSL, SASL_PLAINTEXT or SASL_SSL. */
    public void setSecurityProtocol(String securityProtocol) {
        this.securityProtocol = blankToNull(securityProtocol) == null ? "PLAINTEXT"
                : securityProtocol.strip().toUpperCase(Locale.ROOT);
    }

    /** PEM file of the CA that signed the brokers' certificates (SSL and SASL_SSL). */
    public void setCaFile(String caFile) {
        this.caFile = blankToNull(caFile);
    }

    /** PEM certificate chain of this client, for brokers that ask for one (mutual TLS). */
    public void setCertFile(String certFile) {
        this.certFile = blankToNull(certFile);
    }

    /** PKCS#8 PEM private key of {@link #setCertFile}, unencrypted. */
    public void setKeyFile(String keyFile) {
        this.keyFile = blankToNull(keyFile);
    }

    /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512 (SASL_PLAINTEXT and SASL_SSL). */
    public void setSaslMechanism(String saslMechanism) {
        this.saslMechanism = blankToNull(saslMechanism) == null ? "PLAIN"
                : saslMechanism.strip().toUpperCase(Locale.ROOT);
    }

    public void setSaslUsername(String saslUsername) {
        this.saslUsername = blankToNull(saslUsername);
    }

    public void setSaslPassword(String saslPassword) {
        this.saslPassword = blankToNull(saslPassword);
    }

    /**
     * Further Kafka client properties, {@code name=value} pairs separated by commas or semicolons
     * ({@code linger.ms=20;batch.size=262144}); they win over logferry's own choices.
     */
    public void setProperties(String properties) {
        this.properties = blankToNull(properties);
    }

    public String bootstrapServers() {
        return bootstrapServers;
    }

    public String saslMechanism() {
        return saslMechanism;
    }

    public String saslUsername() {
        return saslUsername;
    }

    /** The client properties, checked: an error names the option and what it accepts. */
    public Properties toProperties(String route) {
        if (bootstrapServers == null) {
            throw new IllegalArgumentException("Route " + route + ": bootstrapServers is empty; give the brokers as"
                    + " host:port[,host:port]");
        }
        if (!PROTOCOLS.contains(securityProtocol)) {
            throw new IllegalArgumentException("Route " + route + ": securityProtocol " + securityProtocol
                    + " is not one of " + PROTOCOLS);
        }
        Properties props = new Properties();
        props.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, securityProtocol);
        if (securityProtocol.endsWith("SSL")) {
            tls(route, props);
        }
        if (securityProtocol.startsWith("SASL")) {
            sasl(route, props);
        }
        props.putAll(extra(route));
        return props;
    }

    private void tls(String route, Properties props) {
        if (caFile != null) {
            props.put(SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_TRUSTSTORE_CERTIFICATES_CONFIG, read(route, "caFile", caFile));
        }
        if ((certFile == null) != (keyFile == null)) {
            throw new IllegalArgumentException("Route " + route + ": give both certFile and keyFile for a client"
                    + " certificate, or neither");
        }
        if (certFile != null) {
            props.put(SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "PEM");
            props.put(SslConfigs.SSL_KEYSTORE_CERTIFICATE_CHAIN_CONFIG, read(route, "certFile", certFile));
            props.put(SslConfigs.SSL_KEYSTORE_KEY_CONFIG, read(route, "keyFile", keyFile));
        }
    }

    private void sasl(String route, Properties props) {
        if (!MECHANISMS.contains(saslMechanism)) {
            throw new IllegalArgumentException("Route " + route + ": saslMechanism " + saslMechanism
                    + " is not one of " + MECHANISMS);
        }
        if (saslUsername == null || saslPassword == null) {
            throw new IllegalArgumentException("Route " + route + ": " + securityProtocol + " needs saslUsername"
                    + " and saslPassword");
        }
        String module = saslMechanism.equals("PLAIN") ? "org.apache.kafka.common.security.plain.PlainLoginModule"
                : "org.apache.kafka.common.security.scram.ScramLoginModule";
        props.put(SaslConfigs.SASL_MECHANISM, saslMechanism);
        props.put(SaslConfigs.SASL_JAAS_CONFIG, module + " required username=\"" + jaasEscape(saslUsername)
                + "\" password=\"" + jaasEscape(saslPassword) + "\";");
    }

    private Properties extra(String route) {
        Properties extra = new Properties();
        if (properties == null) {
            return extra;
        }
        for (String pair : properties.split("[,;]")) {
            if (pair.isBlank()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("Route " + route + ": properties entry '" + pair.strip()
                        + "' is not name=value (separate entries with ';' or ',')");
            }
            extra.put(pair.substring(0, eq).strip(), pair.substring(eq + 1).strip());
        }
        return extra;
    }

    private static String read(String route, String option, String file) {
        try {
            return Files.readString(Path.of(file), StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("Route " + route + ": cannot read " + option + " " + file + ": "
                    + e.getMessage(), e);
        }
    }

    private static String jaasEscape(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"");
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    @Override
    public String toString() {
        return "kafka:" + securityProtocol.toLowerCase(Locale.ROOT) + "://" + bootstrapServers;
    }
}
