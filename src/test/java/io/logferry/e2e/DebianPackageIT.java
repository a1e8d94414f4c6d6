package io.logferry.e2e;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Debian package the build makes: dpkg installs it (into a scratch root, with its maintainer scripts run
 * against that root), the installed launcher runs the default pipeline from /etc/logferry, and systemd-analyze
 * accepts its unit. Skipped without dpkg and systemd-analyze, unless LOGFERRY_REQUIRE_DEB=1 (CI).
 */
class DebianPackageIT {

    @TempDir
    Path dir;

    private Path root;

    @BeforeEach
    void install() throws Exception {
        boolean tools = onPath("dpkg") && onPath("dpkg-deb") && onPath("systemd-analyze");
        if (!tools && "1".equals(System.getenv("LOGFERRY_REQUIRE_DEB"))) {
            throw new IllegalStateException("dpkg and systemd-analyze are required (LOGFERRY_REQUIRE_DEB=1)");
        }
        Assumptions.assumeTrue(tools, "Debian package test skipped: no dpkg or systemd-analyze");
        root = dir.resolve("root");
        Files.createDirectories(root.resolve("var/lib/dpkg/info"));
        Files.createDirectories(root.resolve("var/lib/dpkg/updates"));
        Files.createFile(root.resolve("var/lib/dpkg/status"));
        assertThat(exec(dir, Map.of(), "dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends",
                "--force-not-root", "-i", deb().toString())).isZero();
    }

    @Test
    void dpkgInstallsTheLauncherTheUnitTheConfigurationAndTheStateDirectory() {
        assertThat(root.resolve("usr/bin/logferry")).isExecutable();
        assertThat(root.resolve("usr/share/logferry/logferry.jar")).isRegularFile();
        assertThat(root.resolve("lib/systemd/system/logferry.service")).isRegularFile();
        assertThat(root.resolve("etc/logferry/application.properties")).isRegularFile();
        assertThat(root.resolve("etc/logferry/routes/default.camel.yaml")).isRegularFile();
        assertThat(root.resolve("var/lib/logferry/data")).as("made by postinst").isDirectory();
    }

    @Test
    void theInstalledLauncherRunsTheDefaultPipeline() throws Exception {
        Path work = dir.resolve("work");
        Files.createDirectories(work.resolve("logs"));
        Files.writeString(work.resolve("logs/app.log"),
                "<165>1 2026-12-06T00:00:00.000Z h app - T [t@32473 seq=\"0\"] installed\n");
        int exit = exec(work, Map.of("LOGFERRY_CONFIG", root.resolve("etc/logferry").toString(),
                        "JAVA_TOOL_OPTIONS", "-Dcamel.main.durationMaxMessages=1 -Dcamel.management.port=0"),
                root.resolve("usr/bin/logferry").toString());
        assertThat(exit).as(Files.readString(dir.resolve("exec.log"))).isZero();
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + work.resolve("data/events.db"));
             ResultSet rows = db.createStatement().executeQuery("SELECT count(*) FROM lf_store_events")) {
            assertThat(rows.getLong(1)).isEqualTo(1);
        }
    }

    @Test
    void systemdAcceptsTheUnit() throws Exception {
        // the scratch root needs the system's own units (targets) for the unit's dependencies
        exec(dir, Map.of(), "cp", "-rn", "/lib/systemd/system/.", root.resolve("lib/systemd/system").toString());
        int exit = exec(dir, Map.of(), "systemd-analyze", "verify", "--root=" + root,
                root.resolve("lib/systemd/system/logferry.service").toString());
        String output = Files.readString(dir.resolve("exec.log"));
        assertThat(exit).as(output).isZero();
        assertThat(output).as("no warnings either").isBlank();
        String unit = Files.readString(root.resolve("lib/systemd/system/logferry.service"));
        assertThat(unit).contains("User=logferry", "SuccessExitStatus=75", "TimeoutStopSec=45",
                "WorkingDirectory=/var/lib/logferry");
    }

    private static Path deb() throws IOException {
        Path target = Path.of(System.getProperty("logferry.target", "target"));
        try (Stream<Path> files = Files.list(target)) {
            return files.filter(f -> f.getFileName().toString().matches("logferry_.*_all\\.deb")).findFirst()
                    .orElseThrow(() -> new IllegalStateException("no logferry_*_all.deb in " + target
                            + ": mvn package builds it when dpkg-deb is on the PATH"));
        }
    }

    /** Runs a command in {@code cwd}, output to exec.log (replaced each time); returns its exit code. */
    private int exec(Path cwd, Map<String, String> env, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(List.of(command)).directory(cwd.toFile())
                .redirectErrorStream(true).redirectOutput(dir.resolve("exec.log").toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException(String.join(" ", command) + " did not finish in 120 s");
        }
        return process.exitValue();
    }

    private static boolean onPath(String tool) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(List.of("/usr/sbin", "/sbin", "/usr/bin", "/bin"));
        return dirs.stream().anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }
}
