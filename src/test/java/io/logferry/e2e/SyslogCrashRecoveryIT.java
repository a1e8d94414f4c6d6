package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.PkiDirectory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A forwarder jar and a listener jar over mutual TLS, each killed with SIGKILL at random moments (the forwarder
 * 20 times, the listener 5 times) and the listener stopped for seconds twice, while an application appends and
 * rotates its log by rename + create. With acks and origin elements the listener's ingest files hold every line
 * exactly once; without origin elements nothing is lost and the repeats are counted.
 */
class SyslogCrashRecoveryIT {

    @TempDir
    Path work;
    private Path forwarderDir;
    private Path listenerDir;
    private PkiDirectory pki;
    private int port;
    private Random random;

    @BeforeEach
    void setUp() throws IOException {
        forwarderDir = work.resolve("forwarder");
        listenerDir = work.resolve("listener");
        pki = new TestPki(work.resolve("pki")).directory();
        port = FreePort.find();
        long seed = System.nanoTime();
        random = new Random(seed);
        System.out.println("SyslogCrashRecoveryIT seed " + seed);
    }

    @Test
    void withAcksAndOriginsEveryLineIsStoredExactlyOnce() throws Exception {
        Result result = run(true, 20, 5);
        assertThat(result.lines.distinct()).isEqualTo(result.written);
        assertThat(result.lines.count()).as("duplicates").isEqualTo(result.written);
    }

    @Test
    void withoutOriginsNothingIsLostAndRepeatsAreCounted() throws Exception {
        Result result = run(false, 6, 2);
        assertThat(result.lines.distinct()).isEqualTo(result.written);
        assertThat(result.lines.missingBelow(result.written)).isEmpty();
        System.out.printf("SyslogCrashRecoveryIT without origins: %d duplicates of %d lines%n",
                result.lines.count() - result.written, result.written);
    }

    private record Result(long written, IngestedLines lines) {
    }

    private Result run(boolean origin, int forwarderKills, int listenerKills) throws Exception {
        install(forwarderDir, "tail-to-syslog", forwarderParameters(origin));
        install(listenerDir, "syslog-listener", Map.of("host", "127.0.0.1", "port", String.valueOf(port),
                "certFile", pki.certificate(TestPki.SERVER).toString(), "keyFile", pki.key(TestPki.SERVER).toString(),
                "caFile", pki.caCertificate().toString()));
        LogWriter writer = new LogWriter(forwarderDir.resolve("logs/app.log"));
        JarProcess listener = JarProcess.start(listenerDir);
        int listenerStops = 0;
        try (BackgroundWriter appender = new BackgroundWriter(writer, 20, 10)) {
            for (int i = 0; i < forwarderKills; i++) {
                try (JarProcess forwarder = JarProcess.start(forwarderDir)) {
                    awaitProgress();
                    Thread.sleep(random.nextInt(1000)); // a random moment during delivery
                    if (i % (forwarderKills / listenerKills) == 1) {
                        listener.kill();
                        listener = JarProcess.start(listenerDir);
                    } else if (listenerStops < 2 && i % 5 == 3) {
                        assertThat(listener.terminate(60)).isZero();
                        listenerStops++;
                        Thread.sleep(3000); // the receiver is away: the forwarder holds the lines
                        listener = JarProcess.start(listenerDir);
                    }
                    forwarder.kill();
                }
                if (i % 7 == 6) {
                    // rename + create while the application still writes to the renamed file for a moment
                    writer.renameTo("app.log." + i);
                    writer.write(50);
                    writer.reopen();
                }
            }
        }
        writer.close();
        long written = writer.written();
        try (JarProcess forwarder = JarProcess.start(forwarderDir)) {
            await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                    .until(() -> ingested().distinct() >= written);
            assertThat(forwarder.terminate(60)).isZero();
        } finally {
            listener.terminate(60);
        }
        IngestedLines lines = ingested();
        System.out.printf("SyslogCrashRecoveryIT origin=%s: wrote %d lines, %d forwarder kills, %d listener kills,"
                + " %d listener stops: %d stored, %d distinct%n", origin, written, forwarderKills, listenerKills,
                listenerStops, lines.count(), lines.distinct());
        return new Result(written, lines);
    }

    private Map<String, String> forwarderParameters(boolean origin) {
        Map<String, String> params = new HashMap<>(Map.of("paths", "logs/app.log*", "host", "127.0.0.1",
                "port", String.valueOf(port), "certFile", pki.certificate(TestPki.CLIENT).toString(),
                "keyFile", pki.key(TestPki.CLIENT).toString(), "caFile", pki.caCertificate().toString(),
                "origin", String.valueOf(origin), "batchTimeout", "100", "reconnectDelay", "200"));
        params.put("maxReconnectDelay", "1000");
        return params;
    }

    private void awaitProgress() {
        int before = ingested().count();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .until(() -> ingested().count() > before);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("nothing stored within 60 s; forwarder:\n" + output(forwarderDir)
                    + "\nlistener:\n" + output(listenerDir), e);
        }
    }

    private IngestedLines ingested() {
        return IngestedLines.under(listenerDir.resolve("ingest"));
    }

    private static String output(Path dir) {
        try {
            return JarProcess.outputOf(dir);
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void install(Path dir, String template, Map<String, String> parameters) throws IOException {
        Files.createDirectories(dir);
        JarProcess.installDefaultConfig(dir);
        // two logferry processes on one host need two management ports
        Files.writeString(dir.resolve("config/application.properties"), "\ncamel.management.port = "
                + FreePort.find() + "\n", StandardOpenOption.APPEND);
        JarProcess.writePipeline(dir, template, parameters);
    }
}
