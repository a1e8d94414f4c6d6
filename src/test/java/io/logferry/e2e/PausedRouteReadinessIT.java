package io.logferry.e2e;

import io.logferry.testsupport.JarProcess;
import io.logferry.testsupport.LogWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The running jar stays ready while an operator stops or suspends its route over remote JMX: camel-main's
 * own route and consumer checks (DOWN for a stopped route in Camel 4.18) are replaced by logferry's.
 */
class PausedRouteReadinessIT {

    private static final String ROUTE = "org.apache.camel:context=logferry,type=routes,name=\"tail-to-store\"";
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    Path work;

    @Test
    void routeStoppedOrSuspendedOverJmxKeepsTheJarReady() throws Exception {
        int managementPort = freePort();
        int jmxPort = freePort();
        JarProcess.installDefaultConfig(work);
        JarProcess.writeDefaultPipeline(work, Map.of("paths", "logs/app.log"));
        Files.writeString(work.resolve("config/application.properties"), "\ncamel.management.port = "
                + managementPort + "\nlogferry.jmx.remote.enabled = true\nlogferry.jmx.remote.port = " + jmxPort
                + "\nlogferry.jmx.remote.authenticate = false\n", StandardOpenOption.APPEND);
        String ready = "http://127.0.0.1:" + managementPort + "/observe/health/ready?exposureLevel=full";
        try (LogWriter app = new LogWriter(work.resolve("logs/app.log"));
             JarProcess logferry = JarProcess.start(work)) {
            app.write(10);
            await().atMost(Duration.ofSeconds(60)).ignoreExceptions().until(() -> get(ready).statusCode() == 200);
            // camel-main registered the route and consumer checks, and they are logferry's
            assertThat(get(ready).body()).contains("\"route:tail-to-store\"", "\"consumer:tail-to-store\"");

            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + jmxPort + "/jmxrmi");
            try (JMXConnector connector = JMXConnectorFactory.connect(url)) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName route = new ObjectName(ROUTE);

                jmx.invoke(route, "stop", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Stopped");
                HttpResponse<String> stopped = get(ready);
                assertThat(stopped.statusCode()).as(stopped.body()).isEqualTo(200);
                assertThat(stopped.body()).contains("Route tail-to-store is Stopped on purpose");

                jmx.invoke(route, "start", null, null);
                jmx.invoke(route, "suspend", null, null);
                assertThat(jmx.getAttribute(route, "State")).isEqualTo("Suspended");
                HttpResponse<String> suspended = get(ready);
                assertThat(suspended.statusCode()).as(suspended.body()).isEqualTo(200);

                jmx.invoke(route, "resume", null, null);
                // Camel's consumer check is not ready until the first poll since the route's last start, which
                // may come only after the resume: readiness follows a moment later
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                    HttpResponse<String> resumed = get(ready);
                    assertThat(resumed.statusCode()).as(resumed.body()).isEqualTo(200);
                });
            }
            assertThat(logferry.terminate(60)).isZero();
        }
    }

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
