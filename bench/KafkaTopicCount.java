import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListConsumerGroupOffsetsSpec;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka side of bench/kafka-bench.sh, run with the broker's class path (kafka-clients 4.1.1):
 *
 * <pre>
 *   KafkaTopicCount create BOOTSTRAP TOPIC PARTITIONS   waits until the broker serves, creates the topic, waits for leaders
 *   KafkaTopicCount count BOOTSTRAP TOPIC LINES         reads TOPIC read_committed from the start to its end
 *   KafkaTopicCount group BOOTSTRAP GROUP TOPIC         the group's committed offsets against the topic's end
 * </pre>
 *
 * {@code count} prints one {@code name=value} line per figure: records, distinct values and keys (by 64-bit
 * SHA-256 prefixes), the seq=N that ends every gen-lines.py line (distinct, min, max, out of range), the end
 * offsets read_committed (last stable offset) and read_uncommitted (high watermark), and records per partition.
 * With transactions, end offset minus records is the number of commit markers, one per transaction and partition.
 */
public final class KafkaTopicCount {

    private static final Duration API_TIMEOUT = Duration.ofSeconds(30);

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        switch (args[0]) {
            case "create" -> {
                need(args, 4);
                create(args[1], args[2], Integer.parseInt(args[3]));
            }
            case "count" -> {
                need(args, 4);
                count(args[1], args[2], Integer.parseInt(args[3]));
            }
            case "group" -> {
                need(args, 4);
                group(args[1], args[2], args[3]);
            }
            default -> usage();
        }
    }

    private static void need(String[] args, int n) {
        if (args.length != n) {
            usage();
        }
    }

    private static void usage() {
        System.err.println("usage: KafkaTopicCount create BOOTSTRAP TOPIC PARTITIONS | count BOOTSTRAP TOPIC LINES"
                + " | group BOOTSTRAP GROUP TOPIC");
        System.exit(2);
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.CLIENT_ID_CONFIG, "kafka-bench",
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 10000,
                AdminClientConfig.RETRY_BACKOFF_MS_CONFIG, 50,
                AdminClientConfig.RETRY_BACKOFF_MAX_MS_CONFIG, 100,
                AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 200));
    }

    /** Waits up to 60 s for the broker to be registered (unfenced), creates the topic and waits for its leaders. */
    private static void create(String bootstrap, String topic, int partitions) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        try (Admin admin = admin(bootstrap)) {
            while (true) {
                try {
                    Collection<Node> nodes = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
                    if (!nodes.isEmpty()) {
                        break;
                    }
                } catch (ExecutionException | TimeoutException e) {
                    // not serving yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the broker at " + bootstrap + " did not serve within 60 s");
                }
                Thread.sleep(100);
            }
            admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
            while (true) {
                try {
                    TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS)
                            .get(topic);
                    if (d.partitions().size() == partitions && d.partitions().stream()
                            .map(TopicPartitionInfo::leader).allMatch(l -> l != null && !l.isEmpty())) {
                        break;
                    }
                } catch (ExecutionException e) {
                    // the broker's metadata may trail the controller's by a moment
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("topic " + topic + " has no leader yet");
                }
                Thread.sleep(50);
            }
        }
        System.out.println("created=" + topic + " partitions=" + partitions);
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String isolation) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-bench-" + isolation);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "20000");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(16 << 20));
        p.put(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, Integer.toString(64 << 20));
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<?, ?> consumer, String topic) {
        List<TopicPartition> tps = new ArrayList<>();
        consumer.partitionsFor(topic, API_TIMEOUT).forEach(p -> tps.add(new TopicPartition(topic, p.partition())));
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return tps;
    }

    private static void count(String bootstrap, String topic, int lines) throws Exception {
        Map<TopicPartition, Long> highWatermarks;
        try (KafkaConsumer<byte[], byte[]> uncommitted = consumer(bootstrap, "read_uncommitted")) {
            highWatermarks = uncommitted.endOffsets(partitions(uncommitted, topic), API_TIMEOUT);
        }
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        long[] valueHashes = new long[Math.max(16, lines)];
        long[] keyHashes = new long[Math.max(16, lines)];
        int records = 0;
        long nullKeys = 0;
        long valueBytes = 0;
        BitSet seqs = new BitSet(lines);
        long noSeq = 0;
        long outOfRange = 0;
        long seqMin = Long.MAX_VALUE;
        long seqMax = Long.MIN_VALUE;
        long seqRepeats = 0;
        Map<Integer, Long> perPartition = new TreeMap<>();
        Map<TopicPartition, Long> stable;
        long started = System.nanoTime();
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "read_committed")) {
            List<TopicPartition> tps = partitions(consumer, topic);
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            stable = consumer.endOffsets(tps, API_TIMEOUT);
            long idleSince = System.nanoTime();
            while (true) {
                boolean done = true;
                for (TopicPartition tp : tps) {
                    if (consumer.position(tp, API_TIMEOUT) < stable.get(tp)) {
                        done = false;
                        break;
                    }
                }
                if (done) {
                    break;
                }
                ConsumerRecords<byte[], byte[]> polled = consumer.poll(Duration.ofMillis(500));
                if (polled.isEmpty()) {
                    if (System.nanoTime() - idleSince > TimeUnit.SECONDS.toNanos(30)) {
                        System.out.println("warning=no records for 30 s before the end offsets; stopped early");
                        break;
                    }
                    continue;
                }
                idleSince = System.nanoTime();
                for (ConsumerRecord<byte[], byte[]> r : polled) {
                    if (records == valueHashes.length) {
                        valueHashes = Arrays.copyOf(valueHashes, records * 2);
                        keyHashes = Arrays.copyOf(keyHashes, records * 2);
                    }
                    byte[] v = r.value() == null ? new byte[0] : r.value();
                    valueBytes += v.length;
                    valueHashes[records] = hash64(sha, v);
                    if (r.key() == null) {
                        nullKeys++;
                        keyHashes[records] = 0;
                    } else {
                        keyHashes[records] = hash64(sha, r.key());
                    }
                    records++;
                    perPartition.merge(r.partition(), 1L, Long::sum);
                    long seq = seq(v);
                    if (seq < 0) {
                        noSeq++;
                    } else if (seq >= lines) {
                        outOfRange++;
                    } else {
                        if (seqs.get((int) seq)) {
                            seqRepeats++;
                        }
                        seqs.set((int) seq);
                        seqMin = Math.min(seqMin, seq);
                        seqMax = Math.max(seqMax, seq);
                    }
                }
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        long stableTotal = stable.values().stream().mapToLong(Long::longValue).sum();
        long hwTotal = highWatermarks.values().stream().mapToLong(Long::longValue).sum();
        System.out.println("records=" + records);
        System.out.println("distinct_values=" + distinct(valueHashes, records));
        System.out.println("distinct_keys=" + (distinct(keyHashes, records) - (nullKeys > 0 ? 1 : 0)));
        System.out.println("null_keys=" + nullKeys);
        System.out.println("value_bytes=" + valueBytes);
        System.out.println("distinct_seq=" + seqs.cardinality());
        System.out.println("seq_min=" + (seqMin == Long.MAX_VALUE ? -1 : seqMin));
        System.out.println("seq_max=" + (seqMax == Long.MIN_VALUE ? -1 : seqMax));
        System.out.println("seq_repeats=" + seqRepeats);
        System.out.println("no_seq=" + noSeq);
        System.out.println("seq_out_of_range=" + outOfRange);
        System.out.println("end_offset_committed=" + stableTotal);
        System.out.println("end_offset_uncommitted=" + hwTotal);
        StringBuilder pp = new StringBuilder();
        for (TopicPartition tp : sorted(stable)) {
            if (pp.length() > 0) {
                pp.append(',');
            }
            pp.append(tp.partition()).append(':').append(perPartition.getOrDefault(tp.partition(), 0L)).append('/')
                    .append(stable.get(tp));
        }
        System.out.println("per_partition=" + pp);
        System.out.printf("read_seconds=%.2f%n", seconds);
    }

    private static List<TopicPartition> sorted(Map<TopicPartition, Long> offsets) {
        List<TopicPartition> tps = new ArrayList<>(offsets.keySet());
        tps.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        return tps;
    }

    /** The group's committed offsets against the topic's end offsets (read_committed). */
    private static void group(String bootstrap, String groupId, String topic) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed;
        try (Admin admin = admin(bootstrap)) {
            committed = admin.listConsumerGroupOffsets(Map.of(groupId, new ListConsumerGroupOffsetsSpec()))
                    .partitionsToOffsetAndMetadata(groupId).get(30, TimeUnit.SECONDS);
        }
        Map<TopicPartition, Long> ends;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "read_committed")) {
            ends = consumer.endOffsets(partitions(consumer, topic), API_TIMEOUT);
        }
        long lag = 0;
        long total = 0;
        for (Map.Entry<TopicPartition, Long> e : ends.entrySet()) {
            OffsetAndMetadata c = committed.get(e.getKey());
            long at = c == null ? 0 : c.offset();
            total += at;
            lag += Math.max(0, e.getValue() - at);
        }
        System.out.println("group_committed=" + total);
        System.out.println("group_lag=" + lag);
    }

    /** The N of the " seq=N" that ends a generated line, or -1. */
    private static long seq(byte[] v) {
        int end = v.length;
        while (end > 0 && (v[end - 1] == '\n' || v[end - 1] == '\r')) {
            end--;
        }
        int i = end;
        while (i > 0 && v[i - 1] >= '0' && v[i - 1] <= '9') {
            i--;
        }
        if (i == end || i < 5 || v[i - 5] != ' ' || v[i - 4] != 's' || v[i - 3] != 'e' || v[i - 2] != 'q'
                || v[i - 1] != '=' || end - i > 18) {
            return -1;
        }
        long n = 0;
        for (int k = i; k < end; k++) {
            n = n * 10 + (v[k] - '0');
        }
        return n;
    }

    private static long hash64(MessageDigest sha, byte[] data) {
        byte[] d = sha.digest(data);
        long h = 0;
        for (int i = 0; i < 8; i++) {
            h = (h << 8) | (d[i] & 0xff);
        }
        return h;
    }

    private static long distinct(long[] hashes, int n) {
        long[] sorted = Arrays.copyOf(hashes, n);
        Arrays.sort(sorted);
        long distinct = 0;
        for (int i = 0; i < n; i++) {
            if (i == 0 || sorted[i] != sorted[i - 1]) {
                distinct++;
            }
        }
        return distinct;
    }
}
