package io.logferry.deadletter;

import io.logferry.sink.SinkRejectedException;
import io.logferry.Main;
import io.logferry.testsupport.SinkStandIn;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Dead letters resent through their running route: what is delivered leaves the store, what fails again stays
 * with one attempt more and is not duplicated; asked for over JMX or with {@code deadletters replay}.
 */
class ReplayTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private final AtomicBoolean refusing = new AtomicBoolean(true);

    private TestPipeline startRefusingPoison() throws Exception {
        return SinkStandIn.start(dir, Map.of(), SinkStandIn.refusePoison(refusing::get,
                () -> new SinkRejectedException("event refused")));
    }

    private void append(String line) throws IOException {
        Path log = dir.resolve("logs/app.log");
        Files.createDirectories(log.getParent());
        Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    private static DeadLetterStore store(TestPipeline pipeline) {
        return pipeline.context().getRegistry().lookupByNameAndType("deadLetters", DeadLetterStore.class);
    }

    /** Lines of the store's events whose raw text contains POISON. */
    private static long storedPoison(TestPipeline pipeline) {
        return pipeline.storeQuery("SELECT count(*) FROM lf_store_events WHERE raw LIKE '%POISON%'");
    }

    private void refuseTwoLines(TestPipeline pipeline) throws IOException {
        append(SinkStandIn.POISON + " a");
        await().atMost(WAIT).until(() -> pipeline.deadLetters() == 1);
        append(SinkStandIn.POISON + " b");
        await().atMost(WAIT).until(() -> pipeline.deadLetters() == 2);
    }

    @Test
    void aReplayAskedForOverJmxDeliversTheLettersAndRemovesThem() throws Exception {
        try (TestPipeline pipeline = startRefusingPoison()) {
            refuseTwoLines(pipeline);
            refusing.set(false); // the sink was fixed

            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            Set<ObjectName> names = jmx.queryNames(new ObjectName("org.apache.camel:context="
                    + pipeline.context().getManagementName() + ",type=services,name=DeadLetterStore"), null);
            assertThat(names).hasSize(1);
            Object answer = jmx.invoke(names.iterator().next(), "replay", new Object[] {TestPipeline.ROUTE_ID, "1h"},
                    new String[] {String.class.getName(), String.class.getName()});

            assertThat(answer).asString().startsWith("2 dead letter(s) queued for replay");
            await().atMost(WAIT).until(() -> pipeline.deadLetters() == 0);
            assertThat(storedPoison(pipeline)).isEqualTo(2);
            assertThat(jmx.getAttribute(names.iterator().next(), "Count")).isEqualTo(0L);
            assertThatThrownBy(() -> jmx.invoke(names.iterator().next(), "replay", new Object[] {"no-such-route", ""},
                    new String[] {String.class.getName(), String.class.getName()}))
                    .hasStackTraceContaining("No route 'no-such-route' runs here");
        }
    }

    @Test
    void aReplayThatIsRefusedAgainKeepsOneRecordWithOneAttemptMore() throws Exception {
        try (TestPipeline pipeline = startRefusingPoison()) {
            refuseTwoLines(pipeline);
            ReplayRequest request = store(pipeline).replays().request(TestPipeline.ROUTE_ID, null,
                    Instant.EPOCH);

            await().atMost(WAIT).until(() -> store(pipeline).replays().progress(request).waiting() == 0);
            assertThat(store(pipeline).replays().progress(request)).isEqualTo(new ReplayProgress(0, 2, 0));
            assertThat(pipeline.deadLetters()).isEqualTo(2);
            assertThat(store(pipeline).list(10)).extracting(l -> l.letter().attempts()).containsExactly(2, 2);
            assertThat(storedPoison(pipeline)).isZero();
        }
    }

    @Test
    void theReplayCommandQueuesWaitsAndReportsWhileLogferryRuns() throws Exception {
        try (TestPipeline pipeline = startRefusingPoison()) {
            refuseTwoLines(pipeline);
            refusing.set(false);

            int exit = new CommandLine(new Main()).execute("deadletters", "--db", pipeline.deadLettersDb().toString(),
                    "replay", "--route", TestPipeline.ROUTE_ID, "--since", "2026-01-01T00:00:00Z", "--wait", "20");

            assertThat(exit).isZero();
            assertThat(pipeline.deadLetters()).isZero();
            assertThat(storedPoison(pipeline)).isEqualTo(2);
        }
    }

    @Test
    void theReplayCommandSaysSoWhenNoRunningRouteTakesTheLetters() throws Exception {
        try (TestPipeline pipeline = startRefusingPoison()) {
            refuseTwoLines(pipeline);
            int exit = new CommandLine(new Main()).execute("deadletters", "--db", pipeline.deadLettersDb().toString(),
                    "replay", "--through", "no-such-route", "--wait", "1");

            assertThat(exit).isEqualTo(3);
            assertThat(pipeline.deadLetters()).isEqualTo(2);
        }
    }
}
