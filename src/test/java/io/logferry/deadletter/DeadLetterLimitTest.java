package io.logferry.deadletter;

import io.logferry.sink.SinkRejectedException;
import io.logferry.metrics.Meters;
import io.logferry.testsupport.SinkStandIn;
import io.logferry.testsupport.TestPipeline;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The dead-letter store's bound through a running pipeline: wait holds the lines and says so, drop-oldest counts. */
class DeadLetterLimitTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final AtomicBoolean refusing = new AtomicBoolean(true);

    private TestPipeline start(String whenFull) throws Exception {
        return SinkStandIn.start(dir, Map.of("logferry.deadletters.max-records", "1",
                        "logferry.deadletters.when-full", whenFull),
                SinkStandIn.refusePoison(refusing::get, () -> new SinkRejectedException("event refused")));
    }

    private void append(String line) throws IOException {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static HealthCheck.State deadLettersHealth(TestPipeline pipeline) {
        return HealthCheckHelper.invoke(pipeline.context(), "deadletters", Map.of()).orElseThrow().getState();
    }

    private static DeadLetterStore store(TestPipeline pipeline) {
        return pipeline.context().getRegistry().lookupByNameAndType("deadLetters", DeadLetterStore.class);
    }

    @Test
    void atTheLimitWaitHoldsTheLinesTurnsReadinessDownAndGoesOnOnceThereIsRoom() throws Exception {
        try (TestPipeline pipeline = start("wait")) {
            append(SinkStandIn.POISON + " a");
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            // a's offset is committed a moment after its dead letter is written; settle it before b is checked
            String committed = String.valueOf(Files.size(dir.resolve("logs/app.log")));
            await().atMost(WAIT).until(() -> committed.equals(pipeline.committedOffset()));
            assertThat(deadLettersHealth(pipeline)).isEqualTo(HealthCheck.State.UP);

            append(SinkStandIn.POISON + " b");
            await().atMost(WAIT).until(() -> deadLettersHealth(pipeline) == HealthCheck.State.DOWN);
            assertThat(pipeline.committedOffset()).as("b waits, unconfirmed").isEqualTo(committed);
            assertThat(store(pipeline).list(10)).extracting(l -> l.letter().line().text())
                    .containsExactly(SinkStandIn.POISON + " a");

            // an operator removes a (deadletters remove ID): b takes its place at its next attempt
            assertThat(store(pipeline).remove(List.of(store(pipeline).list(1).get(0).id()))).isEqualTo(1);
            await().atMost(WAIT).until(() -> store(pipeline).list(10).stream()
                    .anyMatch(l -> l.letter().line().text().equals(SinkStandIn.POISON + " b")));
            await().atMost(WAIT).until(() -> deadLettersHealth(pipeline) == HealthCheck.State.UP);
            assertThat(pipeline.deadLetters()).isEqualTo(1);
        }
    }

    @Test
    void atTheLimitDropOldestKeepsTheNewestAndCountsTheDrop() throws Exception {
        try (TestPipeline pipeline = start("drop-oldest")) {
            append(SinkStandIn.POISON + " a");
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            append(SinkStandIn.POISON + " b");
            await().atMost(WAIT).until(() -> store(pipeline).list(10).stream()
                    .anyMatch(l -> l.letter().line().text().equals(SinkStandIn.POISON + " b")));

            assertThat(pipeline.deadLetters()).isEqualTo(1);
            Counter dropped = pipeline.meters().find(Meters.EVENTS_DROPPED).tag(Meters.ROUTE, TestPipeline.ROUTE_ID)
                    .tag(Meters.SINK, "store").tag(Meters.REASON, "deadletters-full").counter();
            assertThat(dropped).isNotNull();
            assertThat(dropped.count()).isEqualTo(1);
            assertThat(deadLettersHealth(pipeline)).isEqualTo(HealthCheck.State.UP);
        }
    }
}
