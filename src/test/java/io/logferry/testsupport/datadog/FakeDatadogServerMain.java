package io.logferry.testsupport.datadog;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link FakeDatadogServer} as its own process, for benchmark scripts (run from the test classpath):
 * <pre>
 *   java -cp target/test-classes:$(deps) io.logferry.testsupport.datadog.FakeDatadogServerMain \
 *        [--port=N] [--api-key=K] [--retain-logs=true|false] [--max-payload-bytes=BYTES]
 * </pre>
 * Prints {@code listening <port>} once it accepts requests; answers each {@code stats} line on stdin with
 * {@code logs=<n> distinct=<n> duplicates=<n> requests=<n> responses=<{status=count, ...}>}; stops at the end of
 * stdin. Logs are not retained unless {@code --retain-logs=true}: a benchmark only needs the counts.
 */
public final class FakeDatadogServerMain {

    private static final String USAGE = "options: --port=N --api-key=K --retain-logs=true|false"
            + " --max-payload-bytes=BYTES";

    private FakeDatadogServerMain() {
    }

    public static void main(String[] args) throws IOException {
        FakeDatadogServer.Builder builder = FakeDatadogServer.builder().retainLogs(false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "true" : arg.substring(eq + 1);
            switch (name) {
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--api-key" -> builder.apiKey(value);
                case "--retain-logs" -> builder.retainLogs(Boolean.parseBoolean(value));
                case "--max-payload-bytes" -> builder.maxPayloadBytes(Long.parseLong(value));
                default -> {
                    System.err.println("unknown option " + arg + "; " + USAGE);
                    System.exit(2);
                }
            }
        }
        try (FakeDatadogServer server = builder.start()) {
            System.out.println("listening " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("stats")) {
                    System.out.println(stats(server));
                    System.out.flush();
                }
            }
        }
    }

    static String stats(FakeDatadogServer server) {
        return "logs=" + server.logCount() + " distinct=" + server.distinctMessageCount()
                + " duplicates=" + server.duplicateMessageCount() + " requests=" + server.requestCount()
                + " responses=" + server.responsesByStatus();
    }
}
