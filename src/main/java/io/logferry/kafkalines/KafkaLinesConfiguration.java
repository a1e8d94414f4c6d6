package io.logferry.kafkalines;

import io.logferry.kafka.KafkaClientSettings;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.spi.UriPath;

import java.util.Properties;

/** The options of a {@code kafka-lines:} endpoint. */
@UriParams
public class KafkaLinesConfiguration {

    @UriPath
    @Metadata(required = true)
    private String topic;
    @UriParam(label = "consumer", defaultValue = "logferry-loaders")
    private String groupId = "logferry-loaders";
    @UriParam(label = "consumer", defaultValue = "10000")
    private int maxPollRecords = 10_000;
    @UriParam(label = "consumer", defaultValue = "1000")
    private long retryDelay = 1000;
    private final KafkaClientSettings client = new KafkaClientSettings();

    public String getTopic() {
        return topic;
    }

    /** The topic to read. */
    public void setTopic(String topic) {
        this.topic = topic;
    }

    public String getGroupId() {
        return groupId;
    }

    /** The consumer group: loaders in one group share the topic's partitions. */
    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }

    public int getMaxPollRecords() {
        return maxPollRecords;
    }

    /** Most records in one batch (one exchange, one store transaction). */
    public void setMaxPollRecords(int maxPollRecords) {
        this.maxPollRecords = maxPollRecords;
    }

    public long getRetryDelay() {
        return retryDelay;
    }

    /** Milliseconds before a batch whose delivery failed is read again from its first record. */
    public void setRetryDelay(long retryDelay) {
        this.retryDelay = retryDelay;
    }

    /** Comma-separated host:port pairs of the brokers. */
    public void setBootstrapServers(String bootstrapServers) {
        client.setBootstrapServers(bootstrapServers);
    }

    /** PLAINTEXT (loopback only), SSL, SASL_PLAINTEXT or SASL_SSL. */
    public void setSecurityProtocol(String securityProtocol) {
        client.setSecurityProtocol(securityProtocol);
    }

    /** PEM file of the CA of the brokers' certificates. */
    public void setCaFile(String caFile) {
        client.setCaFile(caFile);
    }

    /** PEM certificate of this client (mutual TLS). */
    public void setCertFile(String certFile) {
        client.setCertFile(certFile);
    }

    /** PKCS#8 PEM key of the certificate. */
    public void setKeyFile(String keyFile) {
        client.setKeyFile(keyFile);
    }

    /** PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512. */
    public void setSaslMechanism(String saslMechanism) {
        client.setSaslMechanism(saslMechanism);
    }

    public void setSaslUsername(String saslUsername) {
        client.setSaslUsername(saslUsername);
    }

    @Metadata(secret = true)
    public void setSaslPassword(String saslPassword) {
        client.setSaslPassword(saslPassword);
    }

    /** Further consumer properties, name=value pairs separated by ';'. */
    public void setProperties(String properties) {
        client.setProperties(properties);
    }

    KafkaClientSettings client() {
        return client;
    }

    /** The client properties, checked. */
    Properties clientProperties(String route) {
        return client.toProperties(route);
    }

    void validate() {
        if (topic == null || topic.isBlank()) {
            throw new IllegalArgumentException("kafka-lines: needs a topic: kafka-lines:TOPIC");
        }
        if (maxPollRecords < 1) {
            throw new IllegalArgumentException("kafka-lines:" + topic + ": maxPollRecords must be at least 1");
        }
    }
}
