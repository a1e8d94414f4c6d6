package io.logferry.deadletter;

import io.logferry.batch.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeadLetterStoreTest {

    @TempDir
    Path dir;

    @Test
    void keepsEveryFieldOfALetterAcrossARestart() {
        LogLine line = new LogLine("web-01", "/var/log/app.log", "abcd", 42, "bad \"line\" é");
        DeadLetterStore store = new DeadLetterStore(dir.resolve("dl/deadletters.db"));
        store.start();
        store.write(List.of(new DeadLetter("tail-to-hec", "hec:http://x/services/collector/event", line, 2,
                "HTTP 400 code 6 Invalid data format")));
        store.stop();

        DeadLetterStore reopened = new DeadLetterStore(dir.resolve("dl/deadletters.db"));
        reopened.start();
        assertThat(reopened.count()).isEqualTo(1);
        StoredDeadLetter stored = reopened.list(10).get(0);
        assertThat(stored.letter()).isEqualTo(new DeadLetter("tail-to-hec", "hec:http://x/services/collector/event",
                line, 2, "HTTP 400 code 6 Invalid data format"));
        reopened.stop();
    }

    @Test
    void refusesAFileThatIsNotADeadLetterDatabaseNamingIt() throws Exception {
        Path file = dir.resolve("deadletters.db");
        Files.writeString(file, "not a database at all, but long enough to have a header of sorts.......");
        DeadLetterStore store = new DeadLetterStore(file);
        assertThatThrownBy(store::start).hasMessageContaining(file.toString())
                .hasMessageContaining("logferry.deadletters.db-path");
    }

    private static DeadLetter letter(String route, long offset, String reason) {
        return new DeadLetter(route, "store", new LogLine("web-01", "/var/log/app.log", "fp1", offset, "line " + offset),
                1, reason);
    }

    private DeadLetterStore open(DeadLetterLimit limit) {
        DeadLetterStore store = new DeadLetterStore(dir.resolve("deadletters.db"));
        store.setLimit(limit);
        store.start();
        return store;
    }

    @Test
    void aLineRefusedAgainUpdatesItsRecordInsteadOfAddingOne() {
        DeadLetterStore store = open(DeadLetterLimit.UNBOUNDED);
        store.write(List.of(letter("r1", 10, "first")));
        store.write(List.of(letter("r1", 10, "second"), letter("r2", 10, "other route")));

        assertThat(store.count()).isEqualTo(2);
        DeadLetter updated = store.find(1).letter();
        assertThat(updated.attempts()).isEqualTo(2);
        assertThat(updated.reason()).isEqualTo("second");
        store.stop();
    }

    @Test
    void aReplayRemovesWhatWasDeliveredAndKeepsWhatFailedWithOneAttemptMore() {
        DeadLetterStore store = open(DeadLetterLimit.UNBOUNDED);
        store.write(List.of(letter("r1", 10, "bad"), letter("r1", 20, "bad"), letter("r1", 30, "bad"),
                letter("r2", 10, "bad")));
        ReplayRequest request = store.replays().request("r1", null, Instant.EPOCH);
        assertThat(request.queued()).isEqualTo(3);
        assertThat(store.replays().request("r1", null, Instant.EPOCH).queued()).as("already queued").isZero();

        ReplayClaim first = store.replays().claim("r1", 2);
        assertThat(first.letters()).extracting(l -> l.letter().line().offset()).containsExactly(10L, 20L);
        assertThat(store.replays().claim("r1", 2).letters()).as("the rest").hasSize(1);
        store.replays().replayed(first);
        assertThat(store.replays().progress(request)).isEqualTo(new ReplayProgress(2, 0, 1));

        ReplayClaim last = store.replays().claim("r1", 10);
        assertThat(last.isEmpty()).as("claimed already").isTrue();
        store.replays().releaseClaims(); // as at the next start
        last = store.replays().claim("r1", 10);
        store.replays().replayFailed(last);
        assertThat(store.replays().progress(request)).isEqualTo(new ReplayProgress(2, 1, 0));
        assertThat(store.count()).isEqualTo(2);
        assertThat(store.list(10)).extracting(l -> l.letter().attempts()).containsExactly(2, 1);
        assertThat(store.replays().claim("r1", 10).isEmpty()).as("failed again: waits for a new request").isTrue();
        store.stop();
    }

    @Test
    void aLetterRefusedAgainDuringItsReplayIsKeptWhenTheBatchCompletes() {
        DeadLetterStore store = open(DeadLetterLimit.UNBOUNDED);
        store.write(List.of(letter("r1", 10, "bad")));
        ReplayRequest request = store.replays().request(null, null, Instant.EPOCH);
        ReplayClaim claim = store.replays().claim("r1", 10);
        // the dead-letter channel keeps it again, then the batch completes as handled
        store.write(List.of(letter("r1", 10, "still bad")));
        store.replays().replayed(claim);

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.find(1).letter().reason()).isEqualTo("still bad");
        assertThat(store.replays().progress(request)).isEqualTo(new ReplayProgress(0, 1, 0));
        store.stop();
    }

    @Test
    void replayThroughAnotherRouteAndSinceSelectWhatIsQueued() {
        DeadLetterStore store = open(DeadLetterLimit.UNBOUNDED);
        store.write(List.of(letter("r1", 10, "bad")));
        assertThat(store.replays().request(null, null, Instant.now().plusSeconds(60)).queued()).isZero();
        assertThat(store.replays().request(null, "other", Instant.now().minusSeconds(60)).queued()).isEqualTo(1);
        assertThat(store.replays().claim("r1", 10).isEmpty()).isTrue();
        assertThat(store.replays().claim("other", 10).letters()).hasSize(1);
        store.stop();
    }

    @Test
    void atTheLimitWaitRefusesTheWriteAndSaysWhatToDo() {
        DeadLetterStore store = open(new DeadLetterLimit(2, false, (r, s, n) -> { }, 10_000));
        store.write(List.of(letter("r1", 10, "bad"), letter("r1", 20, "bad")));
        assertThat(store.isFull()).isFalse();

        assertThatThrownBy(() -> store.write(List.of(letter("r1", 30, "bad"))))
                .isInstanceOf(DeadLetterStoreFullException.class)
                .hasMessageContaining("logferry.deadletters.max-records=2")
                .hasMessageContaining("when-full=drop-oldest");
        assertThat(store.isFull()).isTrue();
        assertThat(store.count()).isEqualTo(2);
        store.stop();
    }

    @Test
    void atTheLimitALetterRefusedAgainTakesNoRoom() {
        DeadLetterStore store = open(new DeadLetterLimit(1, false, (r, s, n) -> { }, 10_000));
        store.write(List.of(letter("r1", 10, "bad")));
        store.write(List.of(letter("r1", 10, "still bad")));

        assertThat(store.count()).isEqualTo(1);
        assertThat(store.find(1).letter().attempts()).isEqualTo(2);
        store.stop();
    }

    @Test
    void atTheLimitDropOldestRemovesTheOldestAndCountsThemByRouteAndSink() {
        Map<String, Integer> dropped = new HashMap<>();
        DeadLetterStore store = open(new DeadLetterLimit(3, true,
                (route, sink, lines) -> dropped.merge(route + "/" + sink, lines, Integer::sum), 10_000));
        store.write(List.of(letter("r1", 10, "bad"), letter("r2", 20, "bad")));
        store.write(List.of(new DeadLetter("r1", "hec:https://splunk:8088/services/collector/event",
                new LogLine("web-01", "/a", "fp1", 30, "x"), 1, "400")));
        store.write(List.of(letter("r1", 40, "bad"), letter("r1", 50, "bad")));

        assertThat(store.count()).isEqualTo(3);
        assertThat(store.list(10)).extracting(l -> l.letter().line().offset()).containsExactly(30L, 40L, 50L);
        assertThat(dropped).containsOnly(Map.entry("r1/store", 1), Map.entry("r2/store", 1));
        assertThat(store.isFull()).isFalse();
        store.stop();
    }

    @Test
    void aVersionOneStoreIsMigratedKeepingOneRecordPerLine() throws Exception {
        Path file = dir.resolve("deadletters.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file); Statement st = c.createStatement()) {
            st.execute("""
                    CREATE TABLE lf_deadletter_records (id INTEGER PRIMARY KEY AUTOINCREMENT, created_at INTEGER NOT NULL,
                      route_id TEXT NOT NULL, sink TEXT NOT NULL, source TEXT NOT NULL, fingerprint TEXT NOT NULL,
                      byte_offset INTEGER NOT NULL, path TEXT, line TEXT NOT NULL, attempts INTEGER NOT NULL,
                      reason TEXT NOT NULL)""");
            for (int i = 0; i < 2; i++) {
                st.execute("INSERT INTO lf_deadletter_records (created_at, route_id, sink, source, fingerprint,"
                        + " byte_offset, path, line, attempts, reason) VALUES (1, 'r1', 'store', 's', 'fp', 7, 'p',"
                        + " 'same line', 1, 'refused " + i + "')");
            }
            st.execute("PRAGMA user_version = 1");
        }
        DeadLetterStore store = open(DeadLetterLimit.UNBOUNDED);
        assertThat(store.count()).isEqualTo(1);
        assertThat(store.list(10).get(0).letter().reason()).isEqualTo("refused 1");
        assertThat(store.replays().request("r1", null, Instant.EPOCH).queued()).isEqualTo(1);
        store.stop();
    }
}
