package io.logferry.runtime;

import java.util.List;
import java.util.stream.Stream;

/**
 * The route files shipped in the jar ({@code classpath:routes/}), by name. camel-main is given these names
 * rather than the pattern {@code routes/*.camel.yaml}: resolving a classpath wildcard makes Camel 4.18 read
 * every entry of the 50 MB jar, twice, which cost 1.3-1.4 s of every start. {@code ShippedRoutesTest} keeps the
 * list equal to the folder.
 */
final class ShippedRoutes {

    /** The error handling every tail template attaches (a routeConfiguration), loaded first. */
    static final String ERROR_HANDLING = "routes/error-handling.camel.yaml";

    /** The route templates. */
    static final List<String> TEMPLATES = List.of("routes/tail-to-store.camel.yaml", "routes/tail-to-hec.camel.yaml",
            "routes/tail-to-syslog.camel.yaml", "routes/syslog-listener.camel.yaml");

    private ShippedRoutes() {
    }

    /** Every shipped file as camel-main route patterns. */
    static List<String> patterns() {
        return Stream.concat(Stream.of(ERROR_HANDLING), TEMPLATES.stream())
                .map(name -> "classpath:" + name).toList();
    }
}
