package io.logferry.cli;

import io.logferry.Main;
import io.logferry.batch.LogLine;
import io.logferry.deadletter.DeadLetter;
import io.logferry.deadletter.DeadLetterStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLettersCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    @Test
    void countListAndShowReadTheStoreNamedByTheConfiguration() throws Exception {
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        Path db = dir.resolve("dl.db");
        Files.writeString(config.resolve("application.properties"), "logferry.deadletters.db-path = " + db + "\n");
        DeadLetterStore store = new DeadLetterStore(db);
        store.start();
        store.write(List.of(
                new DeadLetter("app-to-hec", "hec:https://s:8088/services/collector/event",
                        new LogLine("web-01", "/var/log/app.log", "fp1", 120, "first bad line"), 1, "HTTP 400 code 6"),
                new DeadLetter("app-to-hec", "hec:https://s:8088/services/collector/event",
                        new LogLine("web-01", "/var/log/app.log", "fp1", 240, "second bad line"), 3, "HTTP 400 code 7")));
        store.stop();

        assertThat(run("deadletters", "--config", config.toString(), "count")).isZero();
        assertThat(out.toString()).isEqualTo("2\n");
        out.reset();

        assertThat(run("deadletters", "--config", config.toString(), "list")).isZero();
        assertThat(out.toString().lines()).hasSize(2).first().asString()
                .startsWith("1\t").contains("app-to-hec", "/var/log/app.log:120", "HTTP 400 code 6");
        out.reset();

        assertThat(run("deadletters", "--db", db.toString(), "show", "2")).isZero();
        assertThat(out.toString()).contains("line:        second bad line", "attempts:    3", "fp1 @ 240");
    }

    @Test
    void aMissingStoreOrIdIsOneClearLine() throws Exception {
        assertThat(run("deadletters", "--db", dir.resolve("none.db").toString(), "count")).isEqualTo(1);
        assertThat(err.toString()).contains("No dead-letter store at");
        err.reset();
        Path db = dir.resolve("dl.db");
        DeadLetterStore store = new DeadLetterStore(db);
        store.start();
        store.stop();
        assertThat(run("deadletters", "--db", db.toString(), "show", "9")).isEqualTo(1);
        assertThat(err.toString()).contains("no dead letter with id 9");
    }

    @Test
    void storeOptionsAreTakenAfterTheSubcommandTooAndAnEmptyStoreSaysSo() throws Exception {
        Path config = dir.resolve("config");
        Files.createDirectories(config);
        Path db = dir.resolve("dl.db");
        Files.writeString(config.resolve("application.properties"), "logferry.deadletters.db-path = " + db + "\n");
        DeadLetterStore store = new DeadLetterStore(db);
        store.start();
        store.stop();
        assertThat(run("deadletters", "count", "--config", config.toString())).isZero();
        assertThat(out.toString()).isEqualTo("0\n");
        out.reset();
        assertThat(run("deadletters", "list", "--db", db.toString())).isZero();
        assertThat(out.toString()).startsWith("No dead letters in ");
    }

    @Test
    void runTakesHelp() {
        assertThat(run("run", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: logferry run", "--config");
    }

    @Test
    void removeTakesIdsOrARouteButNotNeither() throws Exception {
        Path db = dir.resolve("dl.db");
        DeadLetterStore store = new DeadLetterStore(db);
        store.start();
        for (int i = 0; i < 3; i++) {
            store.write(List.of(new DeadLetter(i == 2 ? "r2" : "r1", "store",
                    new LogLine("web-01", "/var/log/app.log", "fp1", i, "line " + i), 1, "refused")));
        }
        store.stop();

        assertThat(run("deadletters", "--db", db.toString(), "remove")).isEqualTo(1);
        assertThat(err.toString()).contains("give either ids, or --route ROUTE / --all");
        assertThat(run("deadletters", "--db", db.toString(), "remove", "1")).isZero();
        assertThat(run("deadletters", "--db", db.toString(), "remove", "--route", "r1")).isZero();
        assertThat(out.toString()).isEqualTo("Removed 1 dead letter(s).\nRemoved 1 dead letter(s).\n");
        out.reset();
        assertThat(run("deadletters", "--db", db.toString(), "list")).isZero();
        assertThat(out.toString()).contains("\tr2\t").doesNotContain("\tr1\t");
    }

    @Test
    void replayRefusesATimeItCannotRead() {
        Path db = dir.resolve("dl.db");
        DeadLetterStore store = new DeadLetterStore(db);
        store.start();
        store.stop();
        assertThat(run("deadletters", "--db", db.toString(), "replay", "--since", "yesterday")).isEqualTo(1);
        assertThat(err.toString()).contains("Cannot read 'yesterday' as a time");
    }

    // the commands' own writers, not System.out: a log line from another test's thread must not land in them
    private int run(String... args) {
        return new CommandLine(new Main()).setOut(writer(out)).setErr(writer(err)).execute(args);
    }

    private static PrintWriter writer(OutputStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}
