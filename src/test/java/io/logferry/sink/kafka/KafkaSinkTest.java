package io.logferry.sink.kafka;

import io.logferry.kafka.LineRecords;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.kafka.KafkaBroker;
import io.logferry.testsupport.kafka.TopicLines;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The shipped tail-to-kafka template against a real Kafka broker (KRaft, its own process). */
class KafkaSinkTest {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ROUTE = "tail-to-kafka";

    private static KafkaBroker broker;

    @TempDir
    Path dir;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.shared();
    }

    private TestPipeline pipeline(Path work, String topic, Map<String, String> params) throws Exception {
        Map<String, String> all = new HashMap<>();
        all.put("bootstrapServers", broker.bootstrapServers());
        all.put("topic", topic);
        all.put("transactionalId", "test-" + topic);
        all.put("batchLines", "500");
        all.put("kafkaTimeout", "10000");
        all.putAll(params);
        return TestPipeline.start(work, ROUTE, all);
    }

    private static void awaitCommittedToEnd(TestPipeline pipeline, Path file) throws Exception {
        String end = String.valueOf(Files.size(file));
        await().atMost(WAIT).until(() -> end.equals(pipeline.committedOffset()));
    }

    private static HealthCheck.State health(TestPipeline pipeline) {
        return HealthCheckHelper.invoke(pipeline.context(), "sink:kafka-" + ROUTE, Map.of()).orElseThrow()
                .getState();
    }

    @Test
    void deliversEachLineOnceKeyedByOriginWithItsFileOffsetsInTheSameTransaction() throws Exception {
        broker.createTopic("lines", 3, Map.of());
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log); TestPipeline pipeline = pipeline(dir, "lines", Map.of())) {
            writer.write(2000);
            awaitCommittedToEnd(pipeline, log);
            TopicLines lines = TopicLines.read(broker.bootstrapServers(), "lines");
            assertThat(lines.count()).isEqualTo(2000);
            assertThat(lines.distinct()).isEqualTo(2000);
            assertThat(lines.contains(LogWriter.line(1999))).isTrue();
            // partitionBy=file: one file, one partition, in file order
            assertThat(lines.records().stream().map(ConsumerRecord::partition).collect(Collectors.toSet()))
                    .hasSize(1);
            ConsumerRecord<byte[], byte[]> first = lines.records().get(0);
            LineRecords.Origin origin = LineRecords.origin(first.key());
            assertThat(origin.offset()).isZero();
            assertThat(new String(first.value(), StandardCharsets.UTF_8)).isEqualTo(LogWriter.line(0));
            assertThat(new String(first.headers().lastHeader("path").value(), StandardCharsets.UTF_8))
                    .endsWith("logs/app.log");
            String fileKey = ROUTE + "/" + origin.fingerprint();
            Map<String, String> offsets = offsetsTopic();
            assertThat(offsets).containsEntry("test-lines|" + fileKey, String.valueOf(Files.size(log)));
            assertThat(health(pipeline)).isEqualTo(HealthCheck.State.UP);
        }
    }

    @Test
    void aRestartTakesTheOffsetsKafkaCommittedWhenTheLocalOnesLagBehind() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log)) {
            shipAndStop(writer, "restart", Map.of());
            // as if the process died after Kafka committed but before the local save
            lagBehind(log, 400);
            try (TestPipeline pipeline = pipeline(dir, "restart", Map.of())) {
                writer.write(500);
                awaitCommittedToEnd(pipeline, log);
            }
        }
        TopicLines lines = TopicLines.read(broker.bootstrapServers(), "restart");
        assertThat(lines.count()).isEqualTo(1500);
        assertThat(lines.distinct()).isEqualTo(1500);
    }

    @Test
    void aSecondInstanceWithTheSameTransactionalIdFencesTheFirst() throws Exception {
        Path first = dir.resolve("a");
        Path second = dir.resolve("b");
        Map<String, String> idA = Map.of("transactionalId", "shared-id", "sourceId", "host-a");
        Map<String, String> idB = Map.of("transactionalId", "shared-id", "sourceId", "host-b");
        try (LogWriter writerA = new LogWriter(first.resolve("logs/app.log"), "host-a");
             LogWriter writerB = new LogWriter(second.resolve("logs/app.log"), "host-b");
             TestPipeline a = pipeline(first, "fenced", idA)) {
            writerA.write(100);
            awaitCommittedToEnd(a, first.resolve("logs/app.log"));
            try (TestPipeline b = pipeline(second, "fenced", idB)) {
                writerB.write(100);
                awaitCommittedToEnd(b, second.resolve("logs/app.log"));
                writerA.write(100);
                await().atMost(WAIT).until(() -> health(a) == HealthCheck.State.DOWN);
                assertThat(HealthCheckHelper.invoke(a.context(), "sink:kafka-" + ROUTE, Map.of()).orElseThrow()
                        .getMessage()).hasValueSatisfying(m -> assertThat(m).contains("Fenced"));
                writerB.write(100);
                awaitCommittedToEnd(b, second.resolve("logs/app.log"));
            }
        }
        TopicLines lines = TopicLines.read(broker.bootstrapServers(), "fenced");
        Set<String> hosts = lines.records().stream().map(r -> LineRecords.origin(r.key()).source())
                .collect(Collectors.toSet());
        assertThat(lines.count()).isEqualTo(300);
        assertThat(lines.distinct()).isEqualTo(300);
        assertThat(lines.contains(LogWriter.line("host-a", 150))).isFalse();
        assertThat(hosts).containsExactlyInAnyOrder("host-a", "host-b");
    }

    @Test
    void withoutExactlyOnceLinesGoIdempotentlyAndNoOffsetsAreWrittenToKafka() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log);
             TestPipeline pipeline = pipeline(dir, "plain", Map.of("exactlyOnce", "false"))) {
            writer.write(1000);
            awaitCommittedToEnd(pipeline, log);
        }
        TopicLines lines = TopicLines.read(broker.bootstrapServers(), "plain");
        assertThat(lines.count()).isEqualTo(1000);
        assertThat(offsetsTopic().keySet()).noneMatch(key -> key.startsWith("test-plain|"));
    }

    @Test
    void aLineLargerThanARequestIsDeadLetteredAndTheOthersDelivered() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (LogWriter writer = new LogWriter(log);
             TestPipeline pipeline = pipeline(dir, "large", Map.of("kafkaProperties", "max.request.size=4000",
                     "maxLineLength", "100000"))) {
            writer.write(10);
            Files.writeString(log, "x".repeat(5000) + "\n", java.nio.file.StandardOpenOption.APPEND);
            writer.write(10);
            awaitCommittedToEnd(pipeline, log);
            assertThat(pipeline.deadLetters()).isEqualTo(1);
        }
        assertThat(TopicLines.read(broker.bootstrapServers(), "large").count()).isEqualTo(20);
    }

    @Test
    void aRouteStartsWhileKafkaIsDownAndSendsOnlyWhatKafkaLacksOnceItAnswers() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (KafkaBroker own = KafkaBroker.start(dir.resolve("broker")); LogWriter writer = new LogWriter(log)) {
            Map<String, String> params = ownBroker(own, "down");
            shipAndStop(writer, "down", params);
            // as if the process died after Kafka committed but before the local save, and came back with Kafka down
            lagBehind(log, 400);
            own.kill();
            try (TestPipeline pipeline = pipeline(dir, "down", params)) {
                writer.write(500);
                assertThat(health(pipeline)).isEqualTo(HealthCheck.State.DOWN);
                assertThat(HealthCheckHelper.invoke(pipeline.context(), "sink:kafka-" + ROUTE, Map.of())
                        .orElseThrow().getMessage()).hasValueSatisfying(m -> assertThat(m)
                        .contains("Kafka refused or did not answer"));
                assertThat(pipeline.committedOffset()).isEqualTo(String.valueOf(offsetAfter(log, 400)));
                own.restart();
                awaitCommittedToEnd(pipeline, log);
                await().atMost(WAIT).until(() -> health(pipeline) == HealthCheck.State.UP);
            }
            TopicLines lines = TopicLines.read(own.bootstrapServers(), "down");
            assertThat(lines.count()).isEqualTo(1500);
            assertThat(lines.distinct()).isEqualTo(1500);
        }
    }

    @Test
    void aFileRewrittenWithTheSameFirstLineWhileKafkaIsDownIsSentAgainNotTakenForSent() throws Exception {
        Path log = dir.resolve("logs/app.log");
        try (KafkaBroker own = KafkaBroker.start(dir.resolve("broker")); LogWriter writer = new LogWriter(log)) {
            Map<String, String> params = ownBroker(own, "rewritten");
            shipAndStop(writer, "rewritten", params);
            own.kill();
            // the same first line (so the same fingerprint), new content shorter than what Kafka holds of the old
            StringBuilder content = new StringBuilder(LogWriter.line(0)).append('\n');
            for (int i = 1; i <= 300; i++) {
                content.append("rewritten line ").append(i).append('\n');
            }
            Files.writeString(log, content);
            try (TestPipeline pipeline = pipeline(dir, "rewritten", params)) {
                await().atMost(WAIT).until(() -> "0".equals(pipeline.committedOffset()));
                own.restart();
                awaitCommittedToEnd(pipeline, log);
            }
            TopicLines lines = TopicLines.read(own.bootstrapServers(), "rewritten");
            assertThat(lines.contains("rewritten line 300")).isTrue();
            assertThat(lines.count()).isEqualTo(1000 + 301);
        }
    }

    /** The parameters of a pipeline that ships to {@code own} (a broker the test may kill) into a new topic. */
    private static Map<String, String> ownBroker(KafkaBroker own, String topic) {
        own.createTopic(topic, 1, Map.of());
        return Map.of("bootstrapServers", own.bootstrapServers(), "kafkaTimeout", "3000");
    }

    /** A first run of the pipeline ships 1,000 lines of logs/app.log and stops. */
    private void shipAndStop(LogWriter writer, String topic, Map<String, String> params) throws Exception {
        try (TestPipeline pipeline = pipeline(dir, topic, params)) {
            writer.write(1000);
            awaitCommittedToEnd(pipeline, dir.resolve("logs/app.log"));
        }
    }

    /** Sets the file's local offset back to the end of line {@code lines}, as a kill before the local save does. */
    private void lagBehind(Path log, int lines) throws Exception {
        TestPipeline.execute(dir.resolve("offsets.db"), "UPDATE lf_offsets_files SET value = '"
                + offsetAfter(log, lines) + "'");
    }

    private static long offsetAfter(Path log, int lines) throws Exception {
        byte[] bytes = Files.readAllBytes(log);
        int seen = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n' && ++seen == lines) {
                return i + 1;
            }
        }
        throw new IllegalStateException(log + " has fewer than " + lines + " lines");
    }

    /** The offsets topic as key to value. */
    private static Map<String, String> offsetsTopic() {
        Map<String, String> offsets = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : TopicLines.read(broker.bootstrapServers(), "logferry-offsets")
                .records()) {
            offsets.put(new String(r.key(), StandardCharsets.UTF_8), new String(r.value(), StandardCharsets.UTF_8));
        }
        return offsets;
    }
}
