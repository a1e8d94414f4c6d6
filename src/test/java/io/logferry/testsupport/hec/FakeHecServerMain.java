package io.logferry.testsupport.hec;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Runs a {@link FakeHecServer} as its own process, for benchmark scripts (run from the test classpath):
 * <pre>
 *   java -cp target/test-classes:$(deps) io.logferry.testsupport.hec.FakeHecServerMain \
 *        [--port=N] [--token=T] [--ack=true|false] [--retain-events=true|false] [--max-content-length=BYTES]
 * </pre>
 * Prints {@code listening <port>} once it accepts requests; answers each {@code stats} line on stdin with
 * {@code events=<n> distinct=<n> duplicates=<n> requests=<n> responses=<{status=count, ...}>}; stops at the end
 * of stdin.
 * Events are not retained unless {@code --retain-events=true}: a benchmark only needs the counts.
 */
public final class FakeHecServerMain {

    private FakeHecServerMain() {
    }

    public static void main(String[] args) throws IOException {
        FakeHecServer.Builder builder = FakeHecServer.builder().retainEvents(false);
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String name = eq < 0 ? arg : arg.substring(0, eq);
            String value = eq < 0 ? "true" : arg.substring(eq + 1);
            switch (name) {
                case "--port" -> builder.port(Integer.parseInt(value));
                case "--token" -> builder.token(value);
                case "--ack" -> builder.ack(Boolean.parseBoolean(value));
                case "--retain-events" -> builder.retainEvents(Boolean.parseBoolean(value));
                case "--max-content-length" -> builder.maxContentLength(Long.parseLong(value));
                default -> {
                    System.err.println("unknown option " + arg + "; options: --port=N --token=T --ack=true|false"
                            + " --retain-events=true|false --max-content-length=BYTES");
                    System.exit(2);
                }
            }
        }
        try (FakeHecServer server = builder.start()) {
            System.out.println("listening " + server.port());
            System.out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line; (line = in.readLine()) != null; ) {
                if (line.trim().equals("stats")) {
                    System.out.println("events=" + server.eventCount() + " distinct=" + server.distinctSeqCount()
                            + " duplicates=" + server.duplicateCount() + " requests=" + server.requestCount()
                            + " responses=" + server.responsesByStatus());
                    System.out.flush();
                }
            }
        }
    }
}
