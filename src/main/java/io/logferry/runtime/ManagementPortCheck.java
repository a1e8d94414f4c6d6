package io.logferry.runtime;

import org.apache.camel.CamelContext;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Refuses to start when the metrics and health port is taken: Camel's management server would only log an
 * unhandled Vert.x exception and run on without metrics, which an operator would notice too late. Runs after
 * the offsets database is locked, so a second logferry on the same data is told that first.
 */
final class ManagementPortCheck {

    private ManagementPortCheck() {
    }

    static void check(CamelContext context) {
        if (!Boolean.parseBoolean(context.resolvePropertyPlaceholders("{{camel.management.enabled:false}}"))) {
            return;
        }
        String host = context.resolvePropertyPlaceholders("{{camel.management.host:0.0.0.0}}");
        int port = Integer.parseInt(context.resolvePropertyPlaceholders("{{camel.management.port:9876}}"));
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getByName(host))) {
            probe.setReuseAddress(true);
        } catch (IOException e) {
            throw new IllegalStateException("the metrics and health port " + host + ":" + port + " is in use ("
                    + e.getMessage() + "). Set camel.management.port in config/application.properties, or"
                    + " camel.management.enabled = false.", e);
        }
    }
}
