package io.logferry.sink.kafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The compacted topic where tail-to-kafka keeps its file offsets, written in the same transaction as the lines
 * they cover (as Kafka Connect does for exactly-once sources): a record's key is {@code <transactionalId>|<offset
 * key>} and its value the offset in decimal, so one topic serves many hosts and the last committed value of each
 * file survives compaction. Read back with {@code isolation.level=read_committed}, it says exactly which lines are
 * in Kafka, whatever happened to the process that wrote them.
 */
final class OffsetsTopic {

    private final String topic;
    private final String prefix;

    OffsetsTopic(String topic, String transactionalId) {
        this.topic = topic;
        this.prefix = transactionalId + "|";
    }

    String name() {
        return topic;
    }

    /** The record that says the file {@code key} is in Kafka up to {@code offset}. */
    ProducerRecord<byte[], byte[]> record(String key, long offset) {
        return new ProducerRecord<>(topic, (prefix + key).getBytes(StandardCharsets.UTF_8),
                Long.toString(offset).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Creates the topic unless it exists: compacted, one partition, replicated to three brokers (or as many as
     * the cluster has), as Kafka Connect's offsets topic. A cluster that refuses says what to create by hand.
     */
    void ensureExists(Properties client, Duration timeout) throws Exception {
        long millis = timeout.toMillis();
        Properties props = new Properties();
        props.putAll(client);
        // else a cluster that does not answer holds close() for the client's default minute
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(millis));
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Long.toString(millis));
        Admin admin = Admin.create(props);
        try {
            if (admin.listTopics().names().get(millis, TimeUnit.MILLISECONDS).contains(topic)) {
                return;
            }
            int brokers = admin.describeCluster().nodes().get(millis, TimeUnit.MILLISECONDS).size();
            NewTopic compacted = new NewTopic(topic, 1, (short) Math.max(1, Math.min(3, brokers)))
                    .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
            admin.createTopics(List.of(compacted)).all().get(millis, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException unanswered) {
                throw unanswered; // the cluster did not answer: nothing was refused
            }
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create the offsets topic " + topic + " (" + e.getCause()
                        + "); create it with cleanup.policy=compact, or let this client create topics", e.getCause());
            }
        } finally {
            admin.close(Duration.ZERO);
        }
    }

    /**
     * The committed offsets of this transactional id, by offset key. Reads the whole topic up to its last stable
     * offset, so a transaction left open by a killed predecessor must be fenced first (initTransactions).
     */
    Map<String, Long> load(Properties client, Duration timeout) {
        Properties props = new Properties();
        props.putAll(client);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.remove(ConsumerConfig.GROUP_ID_CONFIG);
        Map<String, Long> offsets = new HashMap<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!reached(consumer, ends)) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Reading the offsets topic " + topic + " took longer than "
                            + timeout.toSeconds() + " s");
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    take(record, offsets);
                }
            }
        }
        return offsets;
    }

    private void take(ConsumerRecord<byte[], byte[]> record, Map<String, Long> offsets) {
        if (record.key() == null) {
            return;
        }
        String key = new String(record.key(), StandardCharsets.UTF_8);
        if (!key.startsWith(prefix)) {
            return;
        }
        if (record.value() == null) {
            offsets.remove(key.substring(prefix.length()));
        } else {
            offsets.put(key.substring(prefix.length()),
                    Long.parseLong(new String(record.value(), StandardCharsets.US_ASCII)));
        }
    }

    private static boolean reached(KafkaConsumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }
}
