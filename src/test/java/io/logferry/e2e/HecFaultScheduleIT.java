package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.hec.FakeHecServer;
import io.logferry.testsupport.hec.HecFaultSchedule;
import io.logferry.testsupport.hec.HecFaults;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar ships to a HEC server with indexer acknowledgement through a seeded random schedule of faults
 * ({@link HecFaultSchedule}): indexer restarts, acks that never come, invalid events whose request kept its
 * prefix or nothing, 503s, resets, slow acks, outages longer than the retries, and kill -9 of logferry. After
 * each schedule: every line was indexed at least once (dead-lettered ones after a replay), duplicates stay
 * within one in-flight window per fault, readiness went DOWN while acks were stuck, and logferry exits 0.
 * <p>
 * CI runs a few fixed seeds; {@code -Dlogferry.hec.faultSeeds=7,8,9} replays others and
 * {@code -Dlogferry.hec.faultSteps=N} lengthens them ({@code bench/hec-fault-schedule.sh} runs many).
 */
class HecFaultScheduleIT {

    private static final String TOKEN = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
    private static final int INFLIGHT_BYTES = 1 << 20;
    private static final int EVENTS_PER_REQUEST = 200;
    /** Test lines are longer than this: one in-flight window holds at most INFLIGHT_BYTES / this many lines. */
    private static final int MIN_LINE_BYTES = 90;
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    private int managementPort;

    static List<Long> seeds() {
        String seeds = System.getProperty("logferry.hec.faultSeeds", "11,23,42");
        return Arrays.stream(seeds.split(",")).map(String::trim).map(Long::parseLong).toList();
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyLineIsIndexedAtLeastOnceThroughARandomFaultSchedule(long seed) throws Exception {
        int steps = Integer.getInteger("logferry.hec.faultSteps", 6);
        List<HecFaultSchedule.Step> schedule = HecFaultSchedule.of(seed, steps, EVENTS_PER_REQUEST);
        System.out.println("HecFaultScheduleIT seed " + seed + ": " + schedule);
        try (FakeHecServer server = FakeHecServer.builder().token(TOKEN).ack(true).retainEvents(false).start()) {
            configure(server);
            LogWriter writer = new LogWriter(work.resolve("logs/app.log"));
            JarProcess logferry = JarProcess.start(work);
            try {
                try (BackgroundWriter appender = new BackgroundWriter(writer, 10, 10)) {
                    for (HecFaultSchedule.Step step : schedule) {
                        awaitProgress(server);
                        logferry = apply(step, server, logferry);
                    }
                }
                writer.close();
                server.faults().clear();
                long written = writer.written();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> server.distinctSeqCount() + deadLetters() >= written);
                replayDeadLetters();
                await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                        .until(() -> server.distinctSeqCount() >= written);
                await().atMost(WAIT).until(() -> readiness() == 200);
                assertThat(logferry.terminate(60)).as("exit code").isZero();

                long duplicates = server.duplicateCount();
                System.out.printf("HecFaultScheduleIT seed %d: %d lines written, %d indexed, %d duplicates,"
                        + " %d indexer restarts%n", seed, written, server.eventCount(), duplicates, server.restarts());
                assertThat(LongStream.range(0, written).filter(seq -> !server.hasSeq(seq)).limit(10).toArray())
                        .as("lines never indexed").isEmpty();
                assertThat(duplicates).as("duplicates: at most one in-flight window per fault")
                        .isLessThanOrEqualTo((long) steps * INFLIGHT_BYTES / MIN_LINE_BYTES);
            } catch (Throwable e) {
                throw new AssertionError("fault schedule of seed " + seed + " failed (replay it with"
                        + " -Dlogferry.hec.faultSeeds=" + seed + "): " + schedule + "\nlogferry printed:\n"
                        + tail(JarProcess.outputOf(work)), e);
            } finally {
                logferry.close();
            }
        }
    }

    private void configure(FakeHecServer server) throws Exception {
        managementPort = freePort();
        JarProcess.installDefaultConfig(work);
        Files.writeString(work.resolve("config/application.properties"), """

                hec.token = %s
                camel.management.port = %d
                logferry.stall.threshold = 3
                logferry.redelivery.maximum-redeliveries = 2
                logferry.redelivery.initial-delay = 200
                logferry.redelivery.maximum-delay = 1000
                """.formatted(TOKEN, managementPort), StandardOpenOption.APPEND);
        Map<String, String> params = new java.util.HashMap<>(Map.of("paths", "logs/app.log*", "url",
                server.url().toString(), "token", "{{hec.token}}", "ack", "true", "ackPollInterval", "100",
                "ackTimeout", "2000", "maxEvents", String.valueOf(EVENTS_PER_REQUEST), "batchTimeout", "100",
                "maxInflightBytes", String.valueOf(INFLIGHT_BYTES), "requestTimeout", "5000"));
        // stuck-ack periods can follow each other in a long schedule: a request held after maxAckResends waits
        // for an operator (HecIndexerFaultsTest covers that), so this schedule never gets there
        params.put("maxAckResends", "20");
        JarProcess.writePipeline(work, "tail-to-hec", params);
    }

    /** Applies one fault and undoes it when it has a duration; returns the logferry process now running. */
    private JarProcess apply(HecFaultSchedule.Step step, FakeHecServer server, JarProcess logferry)
            throws Exception {
        HecFaults faults = server.faults();
        switch (step.kind()) {
            case INDEXER_RESTART -> {
                server.crash();
                pause(step.millis());
                server.recover();
            }
            case ACKS_NEVER_TRUE -> {
                faults.acksNeverTrue(true);
                long end = System.nanoTime() + Duration.ofMillis(step.millis()).toNanos();
                // the stall must show while it lasts
                await().atMost(WAIT).ignoreExceptions().until(() -> readiness() == 503);
                pause(Math.max(0, (end - System.nanoTime()) / 1_000_000));
                faults.acksNeverTrue(false);
            }
            case INVALID_EVENT -> faults.invalidEventInNextRequest(step.count(), step.flag());
            case BUSY -> faults.busy(step.count());
            case RESETS -> faults.resetConnections(step.count());
            case SLOW_ACKS -> {
                faults.indexingDelay(Duration.ofMillis(step.millis()));
                pause(3000);
                faults.indexingDelay(Duration.ZERO);
            }
            case LOST_BEFORE_INDEXING -> faults.loseBeforeIndexing(step.count());
            case LONG_OUTAGE -> {
                server.crash();
                pause(step.millis());
                server.recover();
            }
            case KILL_SHIPPER -> {
                logferry.kill();
                return JarProcess.start(work);
            }
        }
        return logferry;
    }

    private static void awaitProgress(FakeHecServer server) {
        long before = server.eventCount();
        await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> server.eventCount() > before);
    }

    /** The fault schedule's time passing (an outage, a stuck pipeline), not synchronisation. */
    private static void pause(long millis) throws InterruptedException {
        Thread.sleep(millis);
    }

    private long deadLetters() {
        Path db = work.resolve("data/deadletters.db");
        return Files.exists(db) ? TestPipeline.queryLong(db, "SELECT count(*) FROM lf_deadletter_records") : 0;
    }

    private void replayDeadLetters() throws Exception {
        if (deadLetters() == 0) {
            return;
        }
        JarProcess replay = JarProcess.start(work, "deadletters", "replay", "--route", "tail-to-hec", "--wait", "60");
        assertThat(replay.waitForExit(90)).as(replay.output()).isZero();
    }

    private int readiness() throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort
                + "/observe/health/ready")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String tail(String output) {
        return output.length() <= 20_000 ? output : output.substring(output.length() - 20_000);
    }
}
