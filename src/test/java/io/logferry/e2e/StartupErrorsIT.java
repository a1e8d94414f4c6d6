package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.awaitility.Awaitility.await;

/** Each start-up problem ends in a clear message and a non-zero exit, never in a silent start from offset 0. */
class StartupErrorsIT {

    @TempDir
    Path work;

    @BeforeEach
    void setUp() throws IOException {
        JarProcess.installDefaultConfig(work);
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(work.resolve("logs/app.log"), "a line that must not be stored\n");
    }

    private String failedStart(Path dir) throws Exception {
        return failedStart(dir, Map.of());
    }

    private String failedStart(Path dir, Map<String, String> env) throws Exception {
        try (JarProcess logferry = JarProcess.start(dir, env, List.of())) {
            assertThat(logferry.waitForExit(60)).isNotZero();
            return logferry.output();
        }
    }

    private long storedLines() {
        return TestPipeline.queryLong(work.resolve("data/events.db"), "SELECT count(*) FROM lf_store_events");
    }

    @Test
    void brokenRouteFileNamesTheFileAndLine() throws Exception {
        Files.writeString(work.resolve("config/routes/broken.yaml"), """
                - templatedRoute:
                    routeTemplateRef: tail-to-store
                   routeId: broken
                """);
        String output = failedStart(work);
        assertThat(output).contains("logferry could not start").contains("config/routes/broken.yaml")
                .contains("line 3");
        assertThat(storedLines()).isZero();
    }

    @Test
    void aTakenMetricsPortIsRefusedNamingTheProperty() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1,
                java.net.InetAddress.getLoopbackAddress())) {
            Files.writeString(work.resolve("config/application.properties"), "\ncamel.management.port = "
                    + taken.getLocalPort() + "\n", java.nio.file.StandardOpenOption.APPEND);
            String output = failedStart(work);
            assertThat(output).contains("logferry could not start").contains(":" + taken.getLocalPort() + " is in use")
                    .contains("camel.management.port")
                    .as("no signal was sent").doesNotContain("JVM shutdown hook triggered by SIGTERM");
        }
    }

    @Test
    void misspelledTemplateParameterIsRefusedWithTheKnownOnes() throws Exception {
        JarProcess.writeDefaultPipeline(work, Map.of("path", "logs/*.log"));
        String output = failedStart(work);
        assertThat(output).contains("sets parameter 'path', which template 'tail-to-store' does not have")
                .contains("Its parameters are: ").contains("paths");
    }

    @Test
    void unknownEndpointOptionIsRefused() throws Exception {
        Files.writeString(work.resolve("config/routes/default.camel.yaml"), """
                - route:
                    from:
                      uri: "tail:logs/*.log?pollIntervall=100"
                      steps:
                        - log: "never"
                """);
        String output = failedStart(work);
        assertThat(output).contains("Unknown parameters=[{pollIntervall=100}]");
    }

    @Test
    void corruptOffsetsDatabaseStopsStartUpInsteadOfReadingFromZero() throws Exception {
        Files.createDirectories(work.resolve("data"));
        Files.writeString(work.resolve("data/offsets.db"), "garbage, not SQLite ".repeat(100));
        String output = failedStart(work);
        assertThat(output).contains("data/offsets.db is not a valid SQLite database")
                .contains("will not silently start again from offset 0");
        assertThat(storedLines()).isZero();
    }

    @Test
    void offsetsDatabaseLockedByAnotherLogferryIsRefused() throws Exception {
        try (JarProcess first = JarProcess.start(work)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> storedLines() == 1);
            Path second = Files.createDirectories(work.resolve("second"));
            Files.writeString(work.resolve("config/application.properties"),
                    "logferry.offsets.db-path = " + work.resolve("data/offsets.db") + "\n");
            JarProcess.installDefaultConfig(second);
            Files.copy(work.resolve("config/application.properties"), second.resolve("config/application.properties"),
                    StandardCopyOption.REPLACE_EXISTING);
            String output = failedStart(second);
            assertThat(output).contains("is locked by another process").contains("logferry.offsets.db-path");
            assertThat(first.isAlive()).isTrue();
        }
    }

    @Test
    void unreachablePostgresStoreNamesTheUrlAndTheFixButNotThePassword() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        String url = "jdbc:postgresql://127.0.0.1:" + closedPort + "/logs";
        JarProcess.writeDefaultPipeline(work, Map.of("storeUrl", url, "storeUser", "logferry",
                "storePassword", "{{env:LOGFERRY_STORE_PASSWORD}}"));
        String output = failedStart(work, Map.of("LOGFERRY_STORE_PASSWORD", "pw-never-shown"));
        assertThat(output).contains("logferry could not start: ")
                .contains("Cannot connect to the event store " + url + " (user logferry): Connection to 127.0.0.1:"
                        + closedPort + " refused. Check that PostgreSQL runs")
                .contains("Check that PostgreSQL runs at that host and port")
                .doesNotContain("pw-never-shown");
    }

    @Test
    void fileWhereADirectoryIsExpectedIsRefused() throws Exception {
        JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log/*.log"));
        String output = failedStart(work);
        assertThat(output).contains("app.log is a file, not a directory").contains("paths option");
    }

    @Test
    void unreadableLogDirectoryIsRefused() throws Exception {
        // root reads every directory, so the check runs as nobody, in a directory nobody may use
        assumeThat(System.getProperty("user.name")).isEqualTo("root");
        assumeThat(Path.of("/usr/bin/setpriv")).exists();
        Path open = Files.createTempDirectory("logferry-nobody");
        Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxrwxrwx"));
        JarProcess.installDefaultConfig(open);
        Path logs = Files.createDirectories(open.resolve("logs"));
        Files.setPosixFilePermissions(logs, PosixFilePermissions.fromString("---------"));
        Path jar = Files.copy(JarProcess.jar(), open.resolve("logferry.jar"));
        System.setProperty("logferry.jar", jar.toString());
        try (JarProcess logferry = JarProcess.start(open,
                List.of("/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"))) {
            assertThat(logferry.waitForExit(60)).isNotZero();
            assertThat(logferry.output()).contains("cannot read directory").contains("permission denied");
        } finally {
            System.clearProperty("logferry.jar");
        }
    }
}
