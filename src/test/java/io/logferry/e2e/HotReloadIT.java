package io.logferry.e2e;

import io.logferry.testsupport.BackgroundWriter;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The real jar reloads a route file while it runs: only the routes of that file restart, from their committed
 * offsets; new files start, removed ones stop; a broken edit is refused and the running routes keep storing.
 */
class HotReloadIT {

    private static final String DEFAULT_FILE = "config/routes/default.camel.yaml";
    private static final String OTHER_FILE = "config/routes/other.camel.yaml";

    @TempDir
    Path work;

    private Path events;
    private Path otherEvents;

    @BeforeEach
    void setUp() throws IOException {
        JarProcess.installDefaultConfig(work);
        events = work.resolve("data/events.db");
        otherEvents = work.resolve("data/other.db");
    }

    private Map<String, String> defaultParameters() {
        Map<String, String> parameters = new LinkedHashMap<>();
        parameters.put("paths", "logs/app.log");
        parameters.put("batchTimeout", "100");
        parameters.put("pollInterval", "50");
        return parameters;
    }

    /** A second pipeline in its own file: other/*.log into data/other.db, route id other-to-store. */
    private void writeOtherPipeline() throws IOException {
        Files.writeString(work.resolve(OTHER_FILE), """
                - templatedRoute:
                    routeTemplateRef: tail-to-store
                    routeId: other-to-store
                    parameters:
                      - name: paths
                        value: other/*.log
                      - name: storeUrl
                        value: jdbc:sqlite:data/other.db
                      - name: pollInterval
                        value: "50"
                """);
    }

    private static long count(Path db) {
        return TestPipeline.queryLong(db, "SELECT count(*) FROM lf_store_events");
    }

    private static long distinct(Path db) {
        return TestPipeline.queryLong(db, "SELECT count(DISTINCT raw) FROM lf_store_events");
    }

    private static void awaitCount(Path db, long n) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> count(db) >= n);
    }

    private void awaitLog(JarProcess logferry, String text) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> logferry.output().contains(text));
    }

    /** Lines already printed, so an assertion looks only at what comes after. */
    private int mark(JarProcess logferry) throws IOException {
        return logferry.output().length();
    }

    private static String since(JarProcess logferry, int mark) throws IOException {
        return logferry.output().substring(mark);
    }

    @Test
    void editedPipelineRestartsOnlyItsRouteFromItsOffsetsAndStoresEveryLineOnce() throws Exception {
        JarProcess.writeDefaultPipeline(work, defaultParameters());
        writeOtherPipeline();
        LogWriter other = new LogWriter(work.resolve("other/b.log"), "host-b");
        other.write(100);
        LogWriter app = new LogWriter(work.resolve("logs/app.log"));
        LogWriter extra = new LogWriter(work.resolve("logs/extra.log"), "host-c");
        extra.write(50); // not followed until the edit adds its glob
        try (JarProcess logferry = JarProcess.start(work)) {
            awaitCount(otherEvents, 100);
            try (BackgroundWriter appender = new BackgroundWriter(app, 20, 10)) {
                awaitCount(events, 500);
                int mark = mark(logferry);
                Map<String, String> edited = defaultParameters();
                edited.put("paths", "logs/app.log,logs/extra.log");
                edited.put("batchTimeout", "50");
                JarProcess.writeDefaultPipeline(work, edited);
                awaitLog(logferry, "Reloaded " + DEFAULT_FILE + ": stopped [tail-to-store], started [tail-to-store]");
                long atReload = count(events);
                awaitCount(events, atReload + 500); // the reloaded route stores while the application writes
                String reload = since(logferry, mark);
                // the route was restarted, the other file's route was not touched
                assertThat(reload).contains("Stopped tail-to-store").doesNotContain("other-to-store");
                // the file is followed again from its committed offset, not from 0
                Matcher resumed = Pattern.compile("Following \\S*logs/app.log \\(fingerprint \\w+\\) from offset (\\d+)")
                        .matcher(reload);
                assertThat(resumed.find()).as("app.log followed again after the reload").isTrue();
                assertThat(Long.parseLong(resumed.group(1))).isPositive();
                assertThat(reload).containsPattern("Following \\S*logs/extra.log");
            }
            long written = app.written() + extra.written();
            awaitCount(events, written);
            other.write(10);
            awaitCount(otherEvents, 110);
            assertThat(logferry.terminate(60)).isZero();
        }
        app.close();
        extra.close();
        other.close();
        long written = app.written() + extra.written();
        assertThat(count(events)).isEqualTo(written);
        assertThat(distinct(events)).isEqualTo(written);
        assertThat(count(otherEvents)).isEqualTo(110);
        assertThat(distinct(otherEvents)).isEqualTo(110);
        assertThat(JarProcess.outputOf(work)).doesNotContain("Refused");
    }

    @Test
    void addedRouteFileStartsAndRemovedRouteFileStops() throws Exception {
        JarProcess.writeDefaultPipeline(work, defaultParameters());
        LogWriter other = new LogWriter(work.resolve("other/b.log"), "host-b");
        other.write(100);
        LogWriter app = new LogWriter(work.resolve("logs/app.log"));
        try (JarProcess logferry = JarProcess.start(work)) {
            app.write(100);
            awaitCount(events, 100);

            writeOtherPipeline();
            awaitLog(logferry, "Loaded new route file " + OTHER_FILE + ": started [other-to-store]");
            awaitCount(otherEvents, 100);

            Files.delete(work.resolve(OTHER_FILE));
            awaitLog(logferry, "Route file " + OTHER_FILE + " was removed: stopped and removed [other-to-store]");
            other.write(100);
            app.write(100);
            awaitCount(events, 200); // the default route keeps running
            // during() starts over after a miss, but the count only grows: a generous atMost hides no store
            await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                    .until(() -> count(otherEvents) == 100);

            writeOtherPipeline(); // back again: it resumes from its committed offset
            awaitCount(otherEvents, 200);
            assertThat(logferry.terminate(60)).isZero();
        }
        assertThat(count(otherEvents)).isEqualTo(200);
        assertThat(distinct(otherEvents)).isEqualTo(200);
        assertThat(count(events)).isEqualTo(200);
        assertThat(JarProcess.outputOf(work)).containsPattern("Following \\S*other/b.log \\(fingerprint \\w+\\) from offset [1-9]");
    }

    @Test
    void brokenEditsAreRefusedWhileThePreviousRouteKeepsStoringAndTheFixIsLoaded() throws Exception {
        JarProcess.writeDefaultPipeline(work, defaultParameters());
        Path pipeline = work.resolve(DEFAULT_FILE);
        String good = Files.readString(pipeline);
        LogWriter app = new LogWriter(work.resolve("logs/app.log"));
        try (JarProcess logferry = JarProcess.start(work)) {
            app.write(100);
            awaitCount(events, 100);

            // bad YAML: refused before anything is stopped
            Files.writeString(pipeline, good.replace("    routeId: tail-to-store", "   routeId: tail-to-store"));
            awaitLog(logferry, "Refused the change to " + DEFAULT_FILE + ": line 3, column 4: not valid YAML");
            awaitLog(logferry, "The routes of " + DEFAULT_FILE + " keep running as they were: [tail-to-store]");
            app.write(100);
            awaitCount(events, 200);

            // a misspelled template parameter, which Camel would accept silently
            Files.writeString(pipeline, good.replace("name: batchTimeout", "name: batchTimout"));
            awaitLog(logferry, "Refused the change to " + DEFAULT_FILE + ": templatedRoute 'tail-to-store' sets"
                    + " parameter 'batchTimout', which template 'tail-to-store' does not have");
            app.write(100);
            awaitCount(events, 300);

            // a glob under a file: found only when the route starts; the previous route is started again
            Files.writeString(pipeline, good.replace("logs/app.log", "logs/app.log/*.log"));
            awaitLog(logferry, "logs/app.log is a file, not a directory");
            awaitLog(logferry, "The previous routes of " + DEFAULT_FILE + " were started again and resume from"
                    + " their committed offsets: [tail-to-store]");
            app.write(100);
            awaitCount(events, 400);

            // fixed: reloaded
            Files.writeString(pipeline, good.replace("\"100\"", "\"50\""));
            awaitLog(logferry, "Reloaded " + DEFAULT_FILE + ": stopped [tail-to-store], started [tail-to-store]");
            app.write(100);
            awaitCount(events, 500);
            assertThat(logferry.isAlive()).isTrue();
            assertThat(logferry.terminate(60)).isZero();
        }
        app.close();
        assertThat(count(events)).isEqualTo(500);
        assertThat(distinct(events)).isEqualTo(500);
    }
}
