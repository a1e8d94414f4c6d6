package io.logferry.listener;

import io.logferry.metrics.ListenerMeters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.testsupport.FreePort;
import io.logferry.testsupport.IngestedLines;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.SyslogClient;
import io.logferry.testsupport.TestPipeline;
import io.logferry.testsupport.TestPki;
import io.logferry.tls.CertificateRequest;
import io.logferry.tls.IssuedCertificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;

import static io.logferry.testsupport.SyslogClient.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Per-source rate and disk limits slow a client down and hold it back; they never drop what it sent. */
class SourceLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private TestPki pki;
    private IssuedCertificate client;

    private TestPipeline listener(int port, Map<String, String> limits) throws Exception {
        pki = new TestPki(dir.resolve("pki"));
        client = pki.issue(CertificateRequest.client("busy-client"));
        return TestPipeline.listener(dir.resolve("listener"), pki.directory(), port, limits);
    }

    @Test
    void aSourceOverItsLineRateIsReadMoreSlowlyAndLosesNothing() throws Exception {
        int port = FreePort.find();
        try (TestPipeline listener = listener(port, Map.of("maxLinesPerSecond", "2000"))) {
            long start = System.nanoTime();
            try (SyslogClient sender = SyslogClient.tls(port, client, pki.authority().certificate())) {
                StringBuilder frames = new StringBuilder();
                for (int i = 0; i < 10_000; i++) {
                    frames.append(frame(LogWriter.line("h", i)));
                }
                sender.send(frames.toString());
                await().atMost(WAIT).until(() -> IngestedLines.under(listener.ingestDir()).count() == 10_000);
            }
            // 10,000 lines at 2,000 a second, one second's worth let through at once and one read (64 KiB, about
            // 640 lines) taken before each pause: 3.7 s at least; without the limit it takes a fraction of a second
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThan(Duration.ofMillis(2500));
            assertThat(IngestedLines.under(listener.ingestDir()).distinct()).isEqualTo(10_000);
            assertThat(meters(listener).pausedCount("rate")).isPositive();
        }
    }

    @Test
    void aSourceOverItsDiskQuotaIsNotReadUntilThereIsRoomAndLosesNothing() throws Exception {
        int port = FreePort.find();
        try (TestPipeline listener = listener(port, Map.of("maxIngestBytes", "20000"))) {
            Path moved = dir.resolve("moved");
            try (SyslogClient sender = SyslogClient.tls(port, client, pki.authority().certificate())) {
                int sent = 0;
                while (meters(listener).pausedCount("quota") == 0) {
                    sent = sendHundred(sender, sent);
                    int expected = sent;
                    await().atMost(WAIT).until(() -> stored(listener, moved) == expected);
                }
                int before = sent;
                sent = sendHundred(sender, sent);
                await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3))
                        .until(() -> stored(listener, moved) == before);

                // the operator moves the source's files away: reading resumes and the held lines arrive
                Files.createDirectories(moved);
                try (Stream<Path> files = Files.list(listener.ingestDir().resolve("busy-client"))) {
                    for (Path file : files.toList()) {
                        Files.move(file, moved.resolve(file.getFileName()));
                    }
                }
                int all = sent;
                await().atMost(WAIT).until(() -> stored(listener, moved) == all);
            }
        }
    }

    private static int sendHundred(SyslogClient sender, int from) throws Exception {
        StringBuilder frames = new StringBuilder();
        for (int i = from; i < from + 100; i++) {
            frames.append(frame(LogWriter.line("h", i)));
        }
        sender.send(frames.toString());
        return from + 100;
    }

    /** Lines stored, in the ingest directory and in the files moved out of it (a moved open file still grows). */
    private static long stored(TestPipeline listener, Path moved) {
        return IngestedLines.under(listener.ingestDir()).count()
                + (Files.isDirectory(moved) ? IngestedLines.under(moved).count() : 0);
    }

    private static ListenerMeters meters(TestPipeline listener) {
        return PipelineMetrics.of(listener.context()).listener(TestPipeline.LISTENER);
    }
}
