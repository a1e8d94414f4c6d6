package io.logferry.deadletter;

import io.logferry.batch.LogLine;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Benchmark, not a test (surefire runs only *Test classes unless named): writes N dead letters, then replays
 * them all through a tail-to-store pipeline with the template's default batching, and prints both rates.
 * {@code mvn -o test -Dtest=ReplayThroughputBench -Dbench.letters=300000} (see bench/README.md).
 */
class ReplayThroughputBench {

    private static final int CHUNK = 10_000;

    @TempDir
    Path dir;

    @Test
    void replayRate() throws Exception {
        int n = Integer.getInteger("bench.letters", 100_000);
        try (TestPipeline pipeline = TestPipeline.start(dir, Map.of("pollInterval", "250", "batchTimeout", "200"))) {
            DeadLetterStore store = pipeline.context().getRegistry().lookupByNameAndType("deadLetters",
                    DeadLetterStore.class);
            long start = System.nanoTime();
            for (int from = 0; from < n; from += CHUNK) {
                List<DeadLetter> letters = new ArrayList<>(CHUNK);
                for (int i = from; i < Math.min(n, from + CHUNK); i++) {
                    letters.add(new DeadLetter(TestPipeline.ROUTE_ID, "store",
                            new LogLine("bench", "/var/log/app.log", "fp", i * 300L, LogWriter.line(i)), 1, "refused"));
                }
                store.write(letters);
            }
            long written = System.nanoTime();
            store.replays().request(null, null, Instant.EPOCH);
            await().atMost(Duration.ofMinutes(30)).pollInterval(Duration.ofMillis(50)).until(() -> store.count() == 0);
            long replayed = System.nanoTime();

            assertThat(pipeline.storedLines()).isEqualTo(n);
            System.out.printf("ReplayThroughputBench: %d dead letters written at %.0f/s, replayed into the store at"
                    + " %.0f lines/s (%.1f s)%n", n, n / seconds(written - start), n / seconds(replayed - written),
                    seconds(replayed - written));
        }
    }

    private static double seconds(long nanos) {
        return nanos / 1e9;
    }
}
