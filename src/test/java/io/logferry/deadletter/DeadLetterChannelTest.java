package io.logferry.deadletter;

import io.logferry.sink.SinkRejectedException;
import io.logferry.metrics.Meters;
import io.logferry.sink.SinkRetryableException;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.SinkStandIn;
import io.logferry.testsupport.TestPipeline;
import io.micrometer.core.instrument.Counter;
import org.apache.camel.Processor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The shared error handling (routes/error-handling.camel.yaml) through the shipped tail-to-store template: what
 * the data's fault is dead-lettered at once and its offset moves; what may pass is redelivered with backoff
 * and read again, never dead-lettered; a dead letter that cannot be written leaves the batch failed.
 */
class DeadLetterChannelTest {

    private static final String POISON = SinkStandIn.POISON;
    /** Each step runs Camel routes and SQLite on a machine that may be busy with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("logs/app.log");
    }

    private TestPipeline start(Map<String, String> properties, Processor sink) throws Exception {
        return SinkStandIn.start(dir, properties, sink);
    }

    private static Processor refusePoison(AtomicBoolean refusing, Supplier<RuntimeException> failure) {
        return SinkStandIn.refusePoison(refusing::get, failure);
    }

    private void append(String... lines) throws IOException {
        Files.createDirectories(log().getParent());
        Files.writeString(log(), String.join("\n", lines) + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private void appendGood(int from, int to) throws IOException {
        for (int i = from; i <= to; i++) {
            append(LogWriter.line(i));
        }
    }

    private static double count(TestPipeline pipeline, String meter) {
        Counter counter = pipeline.meters().find(meter).tag(Meters.ROUTE, TestPipeline.ROUTE_ID).counter();
        return counter == null ? 0 : counter.count();
    }

    private void awaitCommittedToEnd(TestPipeline pipeline) {
        await().atMost(WAIT).until(() -> String.valueOf(Files.size(log()))
                .equals(pipeline.committedOffset()));
    }

    @Test
    void aBatchTheSinkRefusesForGoodIsKeptAsDeadLettersAndItsOffsetMoves() throws Exception {
        try (TestPipeline pipeline = start(Map.of(), refusePoison(new AtomicBoolean(true),
                () -> new SinkRejectedException("event refused")))) {
            appendGood(1, 5);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 5);

            append(POISON + " one");
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            awaitCommittedToEnd(pipeline);
            appendGood(6, 10);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 10);

            DeadLetter letter = pipeline.context().getRegistry().lookupByNameAndType("deadLetters",
                    DeadLetterStore.class).list(10).get(0).letter();
            assertThat(letter.line().text()).isEqualTo(POISON + " one");
            assertThat(letter.routeId()).isEqualTo(TestPipeline.ROUTE_ID);
            assertThat(letter.sink()).isEqualTo("store");
            assertThat(letter.attempts()).as("the data's fault is not retried").isEqualTo(1);
            assertThat(letter.reason()).isEqualTo("SinkRejectedException: event refused");
            assertThat(count(pipeline, Meters.EVENTS_DEAD_LETTERED)).isEqualTo(1);
            assertThat(count(pipeline, Meters.RETRIES)).isZero();
        }
        // a restart resends nothing: the dead letter counted as delivery for the offset
        try (TestPipeline again = TestPipeline.start(dir)) {
            awaitCommittedToEnd(again);
            assertThat(again.storedLines()).isEqualTo(10);
            assertThat(again.deadLetters()).isEqualTo(1);
        }
    }

    @Test
    void aPassingFailureIsRedeliveredAndReadAgainButNeverDeadLettered() throws Exception {
        AtomicBoolean refusing = new AtomicBoolean(true);
        try (TestPipeline pipeline = start(Map.of(), refusePoison(refusing,
                () -> new SinkRetryableException("collector busy")))) {
            appendGood(1, 3);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 3);
            String before = pipeline.committedOffset();

            append(POISON + " two");
            // redelivered (maximum-redeliveries=1 here), failed, read again, redelivered, ...
            await().atMost(WAIT).until(() -> count(pipeline, Meters.EVENTS_FAILED) >= 2);
            assertThat(count(pipeline, Meters.RETRIES)).isGreaterThanOrEqualTo(2);
            assertThat(pipeline.committedOffset()).isEqualTo(before);
            assertThat(pipeline.deadLetters()).isZero();

            refusing.set(false);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 4);
            awaitCommittedToEnd(pipeline);
            assertThat(pipeline.deadLetters()).isZero();
        }
    }

    @Test
    void aDeadLetterThatCannotBeWrittenLeavesTheBatchFailedUntilItCan() throws Exception {
        try (TestPipeline pipeline = start(Map.of(), refusePoison(new AtomicBoolean(true),
                () -> new SinkRejectedException("event refused")))) {
            appendGood(1, 2);
            await().atMost(WAIT).until(() -> pipeline.storedLines() == 2);
            String before = pipeline.committedOffset();
            TestPipeline.execute(pipeline.deadLettersDb(), "CREATE TRIGGER full BEFORE INSERT ON lf_deadletter_records"
                    + " BEGIN SELECT RAISE(ABORT, 'database or disk is full'); END");

            append(POISON + " three");
            await().atMost(WAIT).until(() -> count(pipeline, Meters.EVENTS_FAILED) >= 2);
            assertThat(pipeline.committedOffset()).isEqualTo(before);
            assertThat(pipeline.deadLetters()).isZero();

            TestPipeline.execute(pipeline.deadLettersDb(), "DROP TRIGGER full");
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
            awaitCommittedToEnd(pipeline);
            assertThat(pipeline.storedLines()).isEqualTo(2);
        }
    }

    @Test
    void redeliveryDelaysGrowByTheMultiplierUpToTheMaximum() throws Exception {
        // delays long enough that a busy machine's scheduling jitter stays well inside the bounds below
        Map<String, String> backoff = Map.of("logferry.redelivery.maximum-redeliveries", "3",
                "logferry.redelivery.initial-delay", "500", "logferry.redelivery.multiplier", "3",
                "logferry.redelivery.maximum-delay", "1000");
        List<Long> attempts = new CopyOnWriteArrayList<>();
        try (TestPipeline pipeline = start(backoff, exchange -> {
            attempts.add(System.nanoTime());
            throw new SinkRetryableException("collector busy");
        })) {
            append(POISON + " four");
            await().atMost(WAIT).until(() -> count(pipeline, Meters.EVENTS_FAILED) == 1);
        }
        assertThat(attempts).hasSizeGreaterThanOrEqualTo(4);
        long[] gapsMillis = new long[3];
        for (int i = 0; i < 3; i++) {
            gapsMillis[i] = (attempts.get(i + 1) - attempts.get(i)) / 1_000_000;
        }
        // 500, then min(500 * 3, 1000), then min(500 * 9, 1000). Each upper bound stays below what a wrong
        // policy would give (1000 for a multiplied first delay, 1500 or 4500 without the maximum) and leaves
        // 500 ms for a busy machine
        assertThat(gapsMillis[0]).isBetween(475L, 999L);
        assertThat(gapsMillis[1]).isBetween(950L, 1499L);
        assertThat(gapsMillis[2]).isBetween(950L, 1499L);
    }
}
