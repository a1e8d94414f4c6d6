package io.logferry.e2e;

import io.logferry.kafka.LineRecords;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.PostgresServer;
import io.logferry.testsupport.kafka.KafkaBroker;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two loaders (the real jar, kafka-to-store) in one consumer group load a topic into one PostgreSQL database while
 * a shipper writes transactions into it and one loader is killed with SIGKILL and restarted again and again
 * (seeded): every rebalance hands partitions over, and the store ends with every line exactly once.
 */
class KafkaLoadersIT {

    private static final int KILLS = 8;
    private static final String TOPIC = "shipped";
    private static final String COUNT = "SELECT count(*) FROM lf_store_events";

    @TempDir
    Path brokerDir;
    @TempDir
    Path steady;
    @TempDir
    Path killed;

    @Test
    void twoLoadersStoreEveryLineOnceWhileOneIsKilledRepeatedly() throws Exception {
        PostgresServer.Database db = PostgresServer.shared().createDatabase();
        try (KafkaBroker broker = KafkaBroker.start(brokerDir)) {
            broker.createTopic(TOPIC, 4, Map.of());
            for (Path work : new Path[] {steady, killed}) {
                JarProcess.installDefaultConfig(work);
                // two logferry processes on one host need two management ports (else the second does not start)
                Files.writeString(work.resolve("config/application.properties"), "\ncamel.management.port = "
                        + FreePort.find() + "\n", StandardOpenOption.APPEND);
                // a killed loader's partitions wait for its session to time out (45 s by default): 6 s, the
                // broker's least, keeps the rebalances of eight kills within the CI's time
                JarProcess.writePipeline(work, "kafka-to-store", Map.of("bootstrapServers", broker.bootstrapServers(),
                        "topic", TOPIC, "maxPollRecords", "500", "storeUrl", db.url(), "storeUser",
                        PostgresServer.USER, "storePassword", PostgresServer.PASSWORD,
                        "kafkaProperties", "session.timeout.ms=6000;heartbeat.interval.ms=2000"));
            }
            long seed = System.nanoTime();
            Random random = new Random(seed);
            System.out.println("KafkaLoadersIT seed " + seed);
            AtomicLong written = new AtomicLong();
            AtomicBoolean shipping = new AtomicBoolean(true);
            Thread shipper = new Thread(() -> ship(broker.bootstrapServers(), written, shipping), "shipper");
            shipper.start();
            List<Long> startMillis = new ArrayList<>();
            try (JarProcess one = JarProcess.start(steady)) {
                for (int i = 0; i < KILLS; i++) {
                    long started = System.nanoTime();
                    try (JarProcess two = JarProcess.start(killed)) {
                        two.awaitStarted(Duration.ofSeconds(60)); // each kill hits a loader that runs
                        startMillis.add((System.nanoTime() - started) / 1_000_000);
                        long before = db.queryLong(COUNT);
                        await().atMost(Duration.ofSeconds(60)).until(() -> db.queryLong(COUNT) > before);
                        Thread.sleep(500 + random.nextInt(2500)); // a random moment, often during a rebalance
                        two.kill();
                    }
                }
                shipping.set(false);
                shipper.join();
                try (JarProcess two = JarProcess.start(killed)) {
                    await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250))
                            .until(() -> db.queryLong(COUNT) >= written.get());
                    // the other loader may have stored the rest already: stop this one only once it has started
                    two.awaitStarted(Duration.ofSeconds(60));
                    assertThat(two.terminate(60)).as(() -> printed(killed)).isZero();
                }
                assertThat(one.terminate(60)).as(() -> printed(steady)).isZero();
            }
            System.out.printf("KafkaLoadersIT: shipped %d lines; the store holds %d, %d distinct; the killed loader"
                    + " started in %s ms%n", written.get(), db.queryLong(COUNT),
                    db.queryLong("SELECT count(DISTINCT raw) FROM lf_store_events"), startMillis);
            assertThat(db.queryLong(COUNT)).isEqualTo(written.get());
            assertThat(db.queryLong("SELECT count(DISTINCT raw) FROM lf_store_events")).isEqualTo(written.get());
            assertThat(Files.readString(killed.resolve("logferry.out"))).doesNotContain("could not start");
        }
    }

    private static String printed(Path work) {
        try {
            return "logferry printed:\n" + JarProcess.outputOf(work);
        } catch (java.io.IOException e) {
            return e.toString();
        }
    }

    /** A shipper: transactions of 100 lines keyed as tail-to-kafka keys them, every 50 ms, spread by line. */
    private static void ship(String bootstrapServers, AtomicLong written, AtomicBoolean shipping) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "loaders-it-shipper");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props, new ByteArraySerializer(),
                new ByteArraySerializer())) {
            producer.initTransactions();
            long seq = 0;
            while (shipping.get()) {
                producer.beginTransaction();
                for (int i = 0; i < 100; i++, seq++) {
                    producer.send(new ProducerRecord<>(TOPIC, LineRecords.key("shipper", "fp", seq * 100),
                            ("line seq=" + seq).getBytes(StandardCharsets.UTF_8)));
                }
                producer.commitTransaction();
                written.set(seq);
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
