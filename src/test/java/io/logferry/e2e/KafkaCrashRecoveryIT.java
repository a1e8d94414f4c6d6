package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.KillNineSchedule;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.kafka.KafkaBroker;
import io.logferry.testsupport.kafka.TopicLines;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar ships into a real Kafka broker (KRaft, its own process) through tail-to-kafka's transactions, while
 * logferry is killed with SIGKILL at random moments (seeded) or the broker is: a read_committed consumer sees
 * every line written exactly once.
 */
class KafkaCrashRecoveryIT {

    private static final int KILLS = 20;
    private static final String TOPIC = "app-logs";

    @TempDir
    Path work;
    @TempDir
    Path brokerDir;

    private KafkaBroker broker;

    @BeforeEach
    void start() throws Exception {
        broker = KafkaBroker.start(brokerDir);
        broker.createTopic(TOPIC, 3, Map.of());
        JarProcess.installDefaultConfig(work);
        JarProcess.writePipeline(work, "tail-to-kafka", Map.of("paths", "logs/app.log*", "bootstrapServers",
                broker.bootstrapServers(), "topic", TOPIC, "batchTimeout", "100", "kafkaTimeout", "10000"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void everyLineIsInKafkaExactlyOnceAcrossTwentyKillNine() throws Exception {
        long written = new KillNineSchedule("KafkaCrashRecoveryIT", work, Map.of(), KILLS).run(
                new LogWriter(work.resolve("logs/app.log")),
                () -> TopicLines.stableEnd(broker.bootstrapServers(), TOPIC));
        assertDeliveredExactlyOnce(written, "kill -9 x" + KILLS);
    }

    @Test
    void everyLineIsInKafkaExactlyOnceWhenTheBrokerIsKilledAndRestartedTwice() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        System.out.println("KafkaCrashRecoveryIT broker seed " + seed);
        LogWriter writer = new LogWriter(work.resolve("logs/app.log"));
        try (JarProcess logferry = JarProcess.start(work)) {
            try (BackgroundWriter appender = new BackgroundWriter(writer, 20, 10)) {
                for (int i = 0; i < 2; i++) {
                    awaitProgress(logferry);
                    Thread.sleep(random.nextInt(1200)); // a random moment during a transaction
                    broker.kill();
                    Thread.sleep(1000 + random.nextInt(3000)); // the outage
                    broker.restart();
                }
                awaitProgress(logferry);
            }
            writer.close();
            awaitAll(writer.written(), logferry);
            assertThat(logferry.terminate(60)).isZero();
        }
        assertDeliveredExactlyOnce(writer.written(), "broker killed twice");
    }

    private void awaitProgress(JarProcess logferry) throws Exception {
        long before = TopicLines.stableEnd(broker.bootstrapServers(), TOPIC);
        awaitOrExplain(Duration.ofSeconds(90), () -> TopicLines.stableEnd(broker.bootstrapServers(), TOPIC) > before,
                logferry);
    }

    private void awaitAll(long written, JarProcess logferry) throws Exception {
        awaitOrExplain(Duration.ofSeconds(120), () -> TopicLines.read(broker.bootstrapServers(), TOPIC).distinct()
                >= written, logferry);
    }

    private void awaitOrExplain(Duration atMost, Callable<Boolean> condition, JarProcess logferry) throws Exception {
        try {
            await().atMost(atMost).pollInterval(Duration.ofMillis(500)).until(condition);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("no progress within " + atMost.toSeconds() + " s; logferry printed:\n"
                    + logferry.output() + "\nbroker log:\n" + broker.logTail(), e);
        }
    }

    private void assertDeliveredExactlyOnce(long written, String what) throws Exception {
        try (JarProcess logferry = JarProcess.start(work)) {
            awaitAll(written, logferry);
            logferry.awaitStarted(Duration.ofSeconds(60));
            assertThat(logferry.terminate(60)).isZero();
        }
        TopicLines lines = TopicLines.read(broker.bootstrapServers(), TOPIC);
        System.out.printf("KafkaCrashRecoveryIT (%s): wrote %d lines; read_committed sees %d, %d distinct%n", what,
                written, lines.count(), lines.distinct());
        assertThat(lines.distinct()).isEqualTo(written);
        assertThat(lines.count()).isEqualTo(written);
        assertThat(JarProcess.outputOf(work)).doesNotContain("could not start");
    }
}
