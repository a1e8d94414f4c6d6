package io.logferry.kafka;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KafkaClientSettingsTest {

    @TempDir
    Path dir;

    @Test
    void plaintextNeedsOnlyTheBrokersAndBlankOptionsMeanUnset() {
        KafkaClientSettings settings = new KafkaClientSettings();
        settings.setBootstrapServers("127.0.0.1:9092");
        settings.setCaFile(" ");
        settings.setSaslUsername(" ");
        settings.setProperties(" ");
        Properties props = settings.toProperties("r");
        assertThat(props).containsEntry("bootstrap.servers", "127.0.0.1:9092")
                .containsEntry("security.protocol", "PLAINTEXT").hasSize(2);
    }

    @Test
    void tlsTakesThePemFilesContentAndSaslBuildsItsJaasLine() throws Exception {
        Files.writeString(dir.resolve("ca.crt"), "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("me.crt"), "-----BEGIN CERTIFICATE-----\nME\n-----END CERTIFICATE-----\n");
        Files.writeString(dir.resolve("me.key"), "-----BEGIN PRIVATE KEY-----\nK\n-----END PRIVATE KEY-----\n");
        KafkaClientSettings settings = new KafkaClientSettings();
        settings.setSecurityProtocol("sasl_ssl");
        settings.setCaFile(dir.resolve("ca.crt").toString());
        settings.setCertFile(dir.resolve("me.crt").toString());
        settings.setKeyFile(dir.resolve("me.key").toString());
        settings.setSaslMechanism("scram-sha-512");
        settings.setSaslUsername("loader");
        settings.setSaslPassword("pa\"ss");
        settings.setProperties("linger.ms=20; client.rack = r1");
        Properties props = settings.toProperties("r");
        assertThat(props.getProperty("ssl.truststore.type")).isEqualTo("PEM");
        assertThat(props.getProperty("ssl.truststore.certificates")).contains("CA");
        assertThat(props.getProperty("ssl.keystore.certificate.chain")).contains("ME");
        assertThat(props.getProperty("ssl.keystore.key")).contains("PRIVATE KEY");
        assertThat(props.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(props.getProperty("sasl.jaas.config")).isEqualTo("org.apache.kafka.common.security.scram"
                + ".ScramLoginModule required username=\"loader\" password=\"pa\\\"ss\";");
        assertThat(props).containsEntry("linger.ms", "20").containsEntry("client.rack", "r1");
        assertThat(settings.toString()).doesNotContain("pa\"ss");
    }

    @Test
    void wrongOptionsAreRefusedWithWhatToFix() {
        KafkaClientSettings settings = new KafkaClientSettings();
        settings.setSecurityProtocol("TLS");
        assertThatThrownBy(() -> settings.toProperties("r")).hasMessageContaining("securityProtocol TLS is not one of");
        settings.setSecurityProtocol("SASL_PLAINTEXT");
        assertThatThrownBy(() -> settings.toProperties("r")).hasMessageContaining("needs saslUsername and saslPassword");
        settings.setSecurityProtocol("SSL");
        settings.setCertFile(dir.resolve("missing.crt").toString());
        assertThatThrownBy(() -> settings.toProperties("r")).hasMessageContaining("both certFile and keyFile");
        settings.setKeyFile(dir.resolve("missing.key").toString());
        assertThatThrownBy(() -> settings.toProperties("r")).hasMessageContaining("cannot read certFile");
        KafkaClientSettings extra = new KafkaClientSettings();
        extra.setProperties("linger.ms");
        assertThatThrownBy(() -> extra.toProperties("r")).hasMessageContaining("is not name=value");
    }
}
