package io.logferry.sink.kafka;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.logferry.kafka.LineRecords;
import io.logferry.kafkalines.KafkaLinesConsumer;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.testsupport.kafka.KafkaBroker;
import io.logferry.testsupport.kafka.TopicLines;
import io.logferry.tls.PkiDirectory;
import org.apache.camel.CamelContext;
import org.apache.camel.FailedToStartRouteException;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SslAuthenticationException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The TLS and SASL options of the Kafka routes ({@code securityProtocol}, {@code caFile}, {@code certFile},
 * {@code keyFile}, {@code saslMechanism}, {@code saslUsername}, {@code saslPassword}) against a real broker with an
 * SSL listener that requires a client certificate and a SASL_SSL listener with SASL/PLAIN. The broker presents
 * {@link TestPki}'s server certificate, which names 127.0.0.1 as an IP address SAN: the clients keep Kafka's
 * default host name check ({@code ssl.endpoint.identification.algorithm=https}). What the routes wrote or did not
 * write is read back over the broker's PLAINTEXT listener.
 */
class KafkaSecurityTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SINK = "tail-to-kafka";
    private static final String ALICE = "alice";
    private static final String ALICE_PASSWORD = "alice-secret";

    @TempDir
    static Path shared;
    private static PkiDirectory pki;
    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        pki = new TestPki(shared.resolve("pki")).directory();
        broker = KafkaBroker.start(shared.resolve("broker"), new KafkaBroker.Security(pki.certificate(TestPki.SERVER),
                pki.key(TestPki.SERVER), pki.caCertificate(), Map.of(ALICE, ALICE_PASSWORD)));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** tail-to-kafka over the SSL listener, trusting the test CA; {@code extra} adds or overrides parameters. */
    private Map<String, String> sslSink(String topic, Map<String, String> extra) {
        Map<String, String> params = new HashMap<>();
        params.put("bootstrapServers", broker.sslBootstrapServers());
        params.put("securityProtocol", "SSL");
        params.put("caFile", pki.caCertificate().toString());
        params.put("topic", topic);
        params.put("transactionalId", "test-" + topic);
        params.put("batchLines", "500");
        params.put("kafkaTimeout", "10000");
        params.putAll(extra);
        return params;
    }

    /** kafka-to-store over the SASL_SSL listener as {@code user}, trusting the test CA, without a certificate. */
    private Map<String, String> saslLoader(String topic, String user, String password) {
        return Map.of("bootstrapServers", broker.saslSslBootstrapServers(), "securityProtocol", "SASL_SSL",
                "caFile", pki.caCertificate().toString(), "saslMechanism", "PLAIN", "saslUsername", user,
                "saslPassword", password, "topic", topic, "groupId", "group-" + topic, "retryDelay", "200");
    }

    @Test
    void tailToKafkaOverSslWithAClientCertificateDeliversEachLineOnce() throws Exception {
        broker.createTopic("tls-lines", 1, Map.of());
        Path log = dir.resolve("logs/app.log");
        Map<String, String> params = sslSink("tls-lines", Map.of(
                "certFile", pki.certificate(TestPki.CLIENT).toString(),
                "keyFile", pki.key(TestPki.CLIENT).toString()));
        try (LogWriter writer = new LogWriter(log); TestPipeline pipeline = TestPipeline.start(dir, SINK, params)) {
            writer.write(2000);
            String end = String.valueOf(Files.size(log));
            await().atMost(WAIT).until(() -> end.equals(pipeline.committedOffset()));
            assertThat(HealthCheckHelper.invoke(pipeline.context(), "sink:kafka-" + SINK, Map.of()).orElseThrow()
                    .getState()).isEqualTo(HealthCheck.State.UP);
        }
        TopicLines lines = TopicLines.read(broker.bootstrapServers(), "tls-lines");
        assertThat(lines.count()).isEqualTo(2000);
        assertThat(lines.distinct()).isEqualTo(2000);
        assertThat(lines.contains(LogWriter.line(0))).isTrue();
        assertThat(lines.contains(LogWriter.line(1999))).isTrue();
    }

    @Test
    void tailToKafkaOverSslWithoutAClientCertificateFailsToStartWithTheTlsRefusal() throws Exception {
        broker.createTopic("tls-no-cert", 1, Map.of());
        Path log = dir.resolve("logs/app.log");
        AtomicReference<CamelContext> context = new AtomicReference<>();
        try (LogWriter writer = new LogWriter(log)) {
            writer.write(10);
            // the handshake's refusal, not a timeout (which would name no SslAuthenticationException)
            assertThatThrownBy(() -> TestPipeline.start(dir, SINK, sslSink("tls-no-cert",
                    Map.of("kafkaTimeout", "5000")), Map.of(), context::set).close())
                    .isInstanceOf(FailedToStartRouteException.class)
                    .hasMessageContaining(SINK)
                    // the broker's refusal, by the Kafka client's name for it, and what to fix
                    .hasMessageContaining("refused this client's TLS handshake")
                    .hasMessageContaining(SslAuthenticationException.class.getSimpleName())
                    .hasMessageContaining("certFile")
                    .hasMessageNotContaining("create it")
                    .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class)
                    .satisfies(e -> assertThat(chain(e)).hasAtLeastOneElementOfType(SslAuthenticationException.class));
        } finally {
            if (context.get() != null) {
                context.get().stop();
            }
        }
        assertThat(TopicLines.read(broker.bootstrapServers(), "tls-no-cert").count()).isZero();
    }

    @Test
    void kafkaToStoreOverSaslSslWithPlainLoadsEachRecord() throws Exception {
        broker.createTopic("sasl-load", 2, Map.of());
        produce("sasl-load", 1000);
        try (TestPipeline loader = TestPipeline.start(dir, TestPipeline.KAFKA_LOADER,
                saslLoader("sasl-load", ALICE, ALICE_PASSWORD))) {
            await().atMost(WAIT).until(() -> loader.storedLines() == 1000);
            assertThat(loader.storeQuery("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(1000);
            assertThat(loader.storeQuery("SELECT count(*) FROM lf_store_events WHERE raw = 'line 999'"))
                    .isEqualTo(1);
        }
    }

    @Test
    void kafkaToStoreWithAWrongSaslPasswordStoresNothingAndLogsTheAuthenticationFailure() throws Exception {
        broker.createTopic("sasl-wrong", 1, Map.of());
        produce("sasl-wrong", 100);
        Logger logger = (Logger) LoggerFactory.getLogger(KafkaLinesConsumer.class);
        ListAppender<ILoggingEvent> appender = new ListAppender<>();
        appender.start();
        logger.addAppender(appender);
        try (TestPipeline loader = TestPipeline.start(dir, TestPipeline.KAFKA_LOADER,
                saslLoader("sasl-wrong", ALICE, "not-" + ALICE_PASSWORD))) {
            // The consumer's warnings are rate-limited per route (one in 10 s): a warning of an earlier test's
            // kafka-to-store can hold back the first one of this test, not the next
            await().atMost(WAIT).until(() -> warnings(appender).stream()
                    .anyMatch(m -> m.contains("sasl-wrong") && m.contains("Authentication failed")
                            && m.contains("refused the SASL PLAIN login of user " + ALICE)
                            && m.contains("check saslUsername, saslPassword")));
            assertThat(loader.storedLines()).isZero();
            assertThat(committedOffsets("group-sasl-wrong")).isZero();
        } finally {
            logger.detachAppender(appender);
        }
        assertThat(warnings(appender)).allSatisfy(m -> assertThat(m).doesNotContain("not-" + ALICE_PASSWORD));
    }

    /** {@code count} records {@code line 0..} with origin keys, written over PLAINTEXT. */
    private static void produce(String topic, int count) {
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, LineRecords.key("host-1", "fp-" + topic, i * 10L),
                        ("line " + i).getBytes(StandardCharsets.UTF_8)));
            }
            producer.flush();
        }
    }

    /** How many partitions the group has committed offsets for. */
    private static int committedOffsets(String group) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                broker.bootstrapServers()))) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS)
                    .size();
        }
    }

    private static List<String> warnings(ListAppender<ILoggingEvent> appender) {
        synchronized (appender) { // ListAppender appends under this lock (AppenderBase.doAppend)
            return appender.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .map(ILoggingEvent::getFormattedMessage).toList();
        }
    }

    private static List<Throwable> chain(Throwable e) {
        List<Throwable> causes = new ArrayList<>();
        for (Throwable t = e; t != null && !causes.contains(t); t = t.getCause()) {
            causes.add(t);
        }
        return causes;
    }
}
