package io.logferry.testsupport;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The real shaded jar as a child process in a working directory, its output appended to {@code logferry.out}
 * there. Built by {@code mvn package} before failsafe runs the *IT tests; the path comes from the
 * {@code logferry.jar} system property.
 */
public final class JarProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    /** Where this run's output begins in the file every run of the directory appends to. */
    private final long outputStart;

    private JarProcess(Process process, Path output, long outputStart) {
        this.process = process;
        this.output = output;
        this.outputStart = outputStart;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("logferry.jar", "target/logferry.jar")).toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the *IT tests with mvn verify, after package");
        }
        return jar;
    }

    /** Copies the project's config/ into the working directory, as a user would. */
    public static void installDefaultConfig(Path workDir) throws IOException {
        Path source = Path.of("config").toAbsolutePath();
        try (var files = Files.walk(source)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path target = workDir.resolve("config").resolve(source.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    /** Replaces the default pipeline with the tail-to-store template and these parameters. */
    public static void writeDefaultPipeline(Path workDir, Map<String, String> parameters) throws IOException {
        writePipeline(workDir, "tail-to-store", parameters);
    }

    /** Replaces the default pipeline with one route of the given shipped template (route id = template id). */
    public static void writePipeline(Path workDir, String template, Map<String, String> parameters)
            throws IOException {
        StringBuilder yaml = new StringBuilder("- templatedRoute:\n"
                + "    routeTemplateRef: " + template + "\n"
                + "    routeId: " + template + "\n"
                + "    parameters:\n");
        parameters.forEach((name, value) -> yaml.append("      - name: ").append(name)
                .append("\n        value: \"").append(value).append("\"\n"));
        Files.writeString(workDir.resolve("config/routes/default.camel.yaml"), yaml);
    }

    public static JarProcess start(Path workDir, String... args) throws IOException {
        return start(workDir, List.of(), args);
    }

    public static JarProcess start(Path workDir, List<String> commandPrefix, String... args) throws IOException {
        return start(workDir, Map.of(), commandPrefix, args);
    }

    /** Starts the jar with these variables added to its environment. */
    public static JarProcess start(Path workDir, Map<String, String> env, List<String> commandPrefix, String... args)
            throws IOException {
        List<String> command = new ArrayList<>(commandPrefix);
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.add("-XX:+UseSerialGC");
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-jar");
        command.add(jar().toString());
        command.addAll(List.of(args));
        Path output = workDir.resolve("logferry.out");
        long outputStart = Files.exists(output) ? Files.size(output) : 0;
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().putAll(env);
        Process process = builder
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(output.toFile()))
                .start();
        return new JarProcess(process, output, outputStart);
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hook, no flush, nothing. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** Sends SIGTERM and returns at once (a second call sends a second signal). */
    public void signalTerm() throws IOException, InterruptedException {
        int rc = new ProcessBuilder("kill", "-TERM", Long.toString(process.pid())).inheritIO().start().waitFor();
        if (rc != 0) {
            throw new IllegalStateException("kill -TERM " + process.pid() + " failed with exit code " + rc);
        }
    }

    /** SIGTERM, then waits for the exit code. */
    public int terminate(long timeoutSeconds) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("logferry did not stop within " + timeoutSeconds + " s after SIGTERM");
        }
        return process.exitValue();
    }

    public int waitForExit(long timeoutSeconds) throws InterruptedException {
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new IllegalStateException("logferry still running after " + timeoutSeconds + " s");
        }
        return process.exitValue();
    }

    /** Everything the process (and earlier runs in the same directory) printed. */
    public String output() throws IOException {
        return Files.exists(output) ? Files.readString(output) : "";
    }

    /**
     * Waits until this run has started its routes. A test whose condition may already hold when the process
     * starts (everything was delivered by an earlier run) waits for this before it sends SIGTERM: a signal
     * during start-up ends the JVM before logferry handles signals (exit 143).
     */
    public void awaitStarted(Duration atMost) throws IOException {
        try {
            org.awaitility.Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(100))
                    .until(() -> ownOutput().contains(" started in ") || !process.isAlive());
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("logferry did not start within " + atMost.toSeconds() + " s; it printed:\n"
                    + ownOutput(), e);
        }
        if (!ownOutput().contains(" started in ")) {
            throw new AssertionError("logferry exited with " + process.exitValue() + " before it started; it printed:\n"
                    + ownOutput());
        }
    }

    private String ownOutput() throws IOException {
        if (!Files.exists(output)) {
            return "";
        }
        byte[] all = Files.readAllBytes(output);
        int from = (int) Math.min(outputStart, all.length);
        return new String(all, from, all.length - from, java.nio.charset.StandardCharsets.UTF_8);
    }

    public static String outputOf(Path workDir) throws IOException {
        File f = workDir.resolve("logferry.out").toFile();
        return f.exists() ? Files.readString(f.toPath()) : "";
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
