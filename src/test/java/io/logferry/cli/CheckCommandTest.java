package io.logferry.cli;

import io.logferry.Main;
import io.logferry.testsupport.TestPki;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code logferry check}: what a start would refuse, found without starting; exit 0 or 1. */
class CheckCommandTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private Path config(String routes) throws Exception {
        Path config = dir.resolve("config");
        Files.createDirectories(config.resolve("routes"));
        Files.writeString(config.resolve("application.properties"), "logs.dir = " + dir.resolve("logs") + "\n");
        Files.writeString(config.resolve("routes/app.camel.yaml"), routes);
        return config;
    }

    private int check(Path config) {
        // the command's own writer, not System.out: a log line from another test's thread must not land in it
        return new CommandLine(new Main())
                .setOut(new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true))
                .execute("check", "--config", config.toString());
    }

    @Test
    void aConfigurationAStartWouldAcceptIsOkAndPlaceholdersAreResolved() throws Exception {
        Files.createDirectories(dir.resolve("logs"));
        Files.writeString(dir.resolve("logs/app.log"), "a line\n");
        Path config = config("- templatedRoute:\n    routeTemplateRef: tail-to-store\n    routeId: app\n"
                + "    parameters:\n      - name: paths\n        value: \"{{logs.dir}}/*.log\"\n"
                + "      - name: storeUrl\n        value: jdbc:sqlite:" + dir.resolve("data/events.db") + "\n");
        assertThat(check(config)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("configuration OK: 1 pipeline(s)").doesNotContain("warning");
        assertThat(dir.resolve("data")).as("nothing is created").doesNotExist();
    }

    @Test
    void badValuesMissingCertificatesAndEmptyGlobsAreReportedWithoutStarting() throws Exception {
        TestPki pki = new TestPki(dir.resolve("pki"));
        Path config = config("- templatedRoute:\n    routeTemplateRef: tail-to-syslog\n    routeId: out\n"
                + "    parameters:\n      - name: paths\n        value: \"{{logs.dir}}/*.log\"\n"
                + "      - name: readFrom\n        value: middle\n"
                + "      - name: host\n        value: 127.0.0.1\n"
                + "      - name: certFile\n        value: " + pki.directory().certificate(TestPki.CLIENT) + "\n"
                + "      - name: keyFile\n        value: " + pki.directory().key(TestPki.SERVER) + "\n"
                + "      - name: caFile\n        value: " + pki.directory().caCertificate() + "\n");
        assertThat(check(config)).isEqualTo(1);
        assertThat(out.toString())
                .contains("error: " + config.resolve("routes/app.camel.yaml") + ": templatedRoute 'out': parameter"
                        + " 'readFrom' must be one of head, tail")
                .contains("route out: ").contains(pki.directory().key(TestPki.SERVER).toString())
                .contains("warning: ").contains("match no file yet")
                .contains("logferry would not start");
    }

    @Test
    void aKafkaClusterThatDoesNotAnswerIsAWarningForLogferryStartsAndWaitsForIt() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        Path config = config("- templatedRoute:\n    routeTemplateRef: kafka-to-store\n    routeId: loader\n"
                + "    parameters:\n      - name: bootstrapServers\n        value: 127.0.0.1:" + closed + "\n"
                + "      - name: storeUrl\n        value: jdbc:sqlite:" + dir.resolve("data/events.db") + "\n");
        assertThat(check(config)).as(out.toString()).isZero();
        assertThat(out.toString()).contains("warning: ")
                .contains("route loader: Kafka at 127.0.0.1:" + closed + " does not answer")
                .contains("would start and wait for it").contains("configuration OK");
    }
}
