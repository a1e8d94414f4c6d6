package io.logferry.deadletter;

import io.logferry.batch.LogLine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}
