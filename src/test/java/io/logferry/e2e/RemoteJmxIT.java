package io.logferry.e2e;

import io.logferry.batch.LogLine;
import io.logferry.deadletter.DeadLetter;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import io.logferry.testsupport.TestPipeline;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * An operator manages the running jar over remote JMX, configured only in config/application.properties:
 * stops, starts, suspends and resumes the route through Camel's ManagedRoute MBean while the application
 * writes, and reads logferry's tailed-files and dead-letter MBeans. Every line arrives exactly once.
 */
class RemoteJmxIT {

    private static final String ROUTE = "org.apache.camel:context=logferry,type=routes,name=\"tail-to-store\"";
    private static final String DEAD_LETTERS = "org.apache.camel:context=logferry,type=services,name=DeadLetterStore";

    @TempDir
    Path work;

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private long stored() {
        return TestPipeline.queryLong(work.resolve("data/events.db"), "SELECT count(*) FROM lf_store_events");
    }

    private long distinct() {
        return TestPipeline.queryLong(work.resolve("data/events.db"), "SELECT count(DISTINCT raw) FROM lf_store_events");
    }

    private void awaitStored(long n) throws Exception {
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> stored() >= n);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(stored() + " of " + n + " lines stored after 60 s; logferry printed:\n"
                    + JarProcess.outputOf(work), e);
        }
    }

    /** Two dead letters from an earlier run, so the MBean has something to count. */
    private void writeDeadLetters() {
        DeadLetterStore store = new DeadLetterStore(work.resolve("data/deadletters.db"));
        store.start();
        try {
            store.write(List.of(
                    new DeadLetter("tail-to-hec", "hec", new LogLine("host-a", "logs/old.log", "f1", 0, "one"), 3, "400"),
                    new DeadLetter("tail-to-hec", "hec", new LogLine("host-a", "logs/old.log", "f1", 4, "two"), 3, "400")));
        } finally {
            store.stop();
        }
    }

    @Test
    void routeStoppedAndStartedOverRemoteJmxStoresEveryLineExactlyOnce() throws Exception {
        JarProcess.installDefaultConfig(work);
        JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log", "batchTimeout", "100",
                "pollInterval", "50"));
        int port = freePort();
        Path passwords = work.resolve("config/jmxremote.password");
        Files.writeString(passwords, "operator s3cret\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(work.resolve("config/application.properties"), "\n"
                + "logferry.jmx.remote.enabled = true\n"
                + "logferry.jmx.remote.port = " + port + "\n", StandardOpenOption.APPEND);
        writeDeadLetters();
        Path log = work.resolve("logs/app.log");
        LogWriter app = new LogWriter(log);
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");

        try (JarProcess logferry = JarProcess.start(work)) {
            app.write(100);
            awaitStored(100);
            assertThatThrownBy(() -> JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "wrong"})))
                    .isInstanceOf(SecurityException.class);

            try (JMXConnector connector = JMXConnectorFactory.connect(url,
                    Map.of(JMXConnector.CREDENTIALS, new String[] {"operator", "s3cret"}))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName route = new ObjectName(ROUTE);
                assertThat((Long) jmx.getAttribute(route, "ExchangesCompleted")).isPositive();

                // stop: the open batch is written and committed, nothing more is read
                jmx.invoke(route, "stop", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Stopped");
                long atStop = stored();
                app.write(100);
                // during() starts over after a miss, but the count only grows: a generous atMost hides no store
                await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> stored() == atStop);
                jmx.invoke(route, "start", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Started");
                awaitStored(200);

                // suspend and resume work the same way
                jmx.invoke(route, "suspend", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Suspended");
                app.write(100);
                jmx.invoke(route, "resume", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Started");
                awaitStored(300);

                // the tail consumer of the route: its file, committed to the end
                ObjectName consumer = jmx.queryNames(new ObjectName("org.apache.camel:context=logferry,type=consumers,*"),
                        null).stream().filter(n -> isRoute(jmx, n)).findFirst().orElseThrow();
                long size = Files.size(log);
                await().atMost(Duration.ofSeconds(60)).until(() -> committedOffset(jmx, consumer) == size);
                CompositeData file = (CompositeData) ((TabularData) jmx.getAttribute(consumer, "TailedFiles"))
                        .values().iterator().next();
                assertThat((String) file.get("path")).endsWith("logs/app.log");
                assertThat((String) file.get("fingerprint")).isNotBlank();
                assertThat(file.get("readOffset")).isEqualTo(size);
                assertThat(file.get("lagBytes")).isEqualTo(0L);
                assertThat(jmx.getAttribute(consumer, "FilesFollowed")).isEqualTo(1);
                assertThat(jmx.getAttribute(consumer, "LagBytes")).isEqualTo(0L);

                ObjectName deadLetters = new ObjectName(DEAD_LETTERS);
                assertThat(jmx.getAttribute(deadLetters, "Count")).isEqualTo(2L);
                assertThat((String) jmx.getAttribute(deadLetters, "File")).endsWith("data/deadletters.db");
            }
            assertThat(logferry.terminate(60)).isZero();
        }
        app.close();
        assertThat(stored()).isEqualTo(300);
        assertThat(distinct()).isEqualTo(300);
        assertThat(JarProcess.outputOf(work)).contains("Remote JMX listening on service:jmx:rmi:///jndi/rmi://127.0.0.1:"
                + port + "/jmxrmi");
    }

    private static boolean isRoute(MBeanServerConnection jmx, ObjectName consumer) {
        try {
            return "tail-to-store".equals(jmx.getAttribute(consumer, "RouteId"));
        } catch (Exception e) {
            return false;
        }
    }

    private static long committedOffset(MBeanServerConnection jmx, ObjectName consumer) throws Exception {
        TabularData files = (TabularData) jmx.getAttribute(consumer, "TailedFiles");
        return files.isEmpty() ? -1 : (Long) ((CompositeData) files.values().iterator().next()).get("committedOffset");
    }
}
