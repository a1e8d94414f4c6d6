package io.logferry.kafkalines;

import io.logferry.kafka.LineRecords;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.kafka.KafkaBroker;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped kafka-to-store template reading from a real Kafka broker into SQLite. */
class KafkaToStoreTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.shared();
    }

    private TestPipeline loader(String topic, String group) throws Exception {
        return loader(broker, topic, group);
    }

    private TestPipeline loader(KafkaBroker from, String topic, String group) throws Exception {
        return TestPipeline.start(dir, TestPipeline.KAFKA_LOADER, Map.of("bootstrapServers", from.bootstrapServers(),
                "topic", topic, "groupId", group));
    }

    private KafkaProducer<byte[], byte[]> producer(String transactionalId) {
        return producer(broker, transactionalId);
    }

    private static KafkaProducer<byte[], byte[]> producer(KafkaBroker to, String transactionalId) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, to.bootstrapServers());
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer());
        producer.initTransactions();
        return producer;
    }

    private static ProducerRecord<byte[], byte[]> line(String topic, String fingerprint, long offset, String text) {
        return new ProducerRecord<>(topic, LineRecords.key("host-1", fingerprint, offset),
                text.getBytes(StandardCharsets.UTF_8));
    }

    private static long committedOffset(String group) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        try (Admin admin = Admin.create(props)) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(OffsetAndMetadata::offset).sum();
        }
    }

    @Test
    void storesCommittedLinesOnceWithTheirOriginAndNeverThoseOfAbortedTransactions() throws Exception {
        broker.createTopic("load", 2, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("load-test")) {
            producer.beginTransaction();
            for (int i = 0; i < 500; i++) {
                producer.send(line("load", "fp1", i * 10L, "line " + i));
            }
            producer.commitTransaction();
            producer.beginTransaction();
            producer.send(line("load", "fp1", 99_999, "aborted line"));
            producer.flush();
            producer.abortTransaction();
            producer.beginTransaction();
            // the same lines again, as a shipper that crashed before its offsets were saved would send them
            for (int i = 0; i < 500; i++) {
                producer.send(line("load", "fp1", i * 10L, "line " + i));
            }
            producer.send(new ProducerRecord<>("load", null, "not from logferry".getBytes(StandardCharsets.UTF_8)));
            producer.commitTransaction();
        }
        try (TestPipeline loader = loader("load", "g1")) {
            await().atMost(WAIT).until(() -> loader.storedLines() == 501);
            assertThat(loader.storeQuery("SELECT count(*) FROM lf_store_events WHERE raw = 'aborted line'")).isZero();
            assertThat(loader.storeQuery("SELECT count(*) FROM lf_store_events WHERE raw = 'line 7'")).isEqualTo(1);
        }
    }

    @Test
    void aRestartedLoaderGoesOnFromTheGroupsCommittedOffsets() throws Exception {
        broker.createTopic("resume", 1, Map.of());
        try (KafkaProducer<byte[], byte[]> producer = producer("resume-test")) {
            producer.beginTransaction();
            for (int i = 0; i < 300; i++) {
                producer.send(line("resume", "fp2", i, "first " + i));
            }
            producer.commitTransaction();
            try (TestPipeline loader = loader("resume", "g2")) {
                await().atMost(WAIT).until(() -> loader.storedLines() == 300);
                // committed only after the store: just past the last record (offset 299)
                await().atMost(WAIT).until(() -> committedOffset("g2") == 300);
            }
            producer.beginTransaction();
            for (int i = 0; i < 200; i++) {
                producer.send(line("resume", "fp2", 1000 + i, "second " + i));
            }
            producer.commitTransaction();
        }
        try (TestPipeline loader = loader("resume", "g2")) {
            await().atMost(WAIT).until(() -> loader.storedLines() == 500);
        }
    }

    @Test
    void aLoaderIsNotReadyWhileItHasNoConnectionToKafkaAndLoadsOnOnceItIsBack() throws Exception {
        try (KafkaBroker own = KafkaBroker.start(dir.resolve("broker"))) {
            own.createTopic("outage", 1, Map.of());
            try (TestPipeline loader = loader(own, "outage", "g3")) {
                send(own, "outage", "before ", 100);
                await().atMost(WAIT).until(() -> loader.storedLines() == 100);
                await().atMost(WAIT).until(() -> readiness(loader).getState() == HealthCheck.State.UP);

                own.kill();
                await().atMost(WAIT).until(() -> readiness(loader).getState() == HealthCheck.State.DOWN);
                assertThat(readiness(loader).getMessage()).hasValueSatisfying(m -> assertThat(m)
                        .contains("No connection to Kafka at " + own.bootstrapServers()));

                own.restart();
                send(own, "outage", "after ", 100);
                await().atMost(WAIT).until(() -> loader.storedLines() == 200);
                await().atMost(WAIT).until(() -> readiness(loader).getState() == HealthCheck.State.UP);
            }
        }
    }

    private static void send(KafkaBroker to, String topic, String prefix, int lines) {
        try (KafkaProducer<byte[], byte[]> producer = producer(to, topic + "-" + prefix.strip())) {
            producer.beginTransaction();
            for (int i = 0; i < lines; i++) {
                producer.send(line(topic, "fp-" + prefix.strip(), i, prefix + i));
            }
            producer.commitTransaction();
        }
    }

    private static HealthCheck.Result readiness(TestPipeline loader) {
        return HealthCheckHelper.invoke(loader.context(), "consumer:kafka-lines-" + TestPipeline.KAFKA_LOADER,
                Map.of()).orElseThrow();
    }
}
