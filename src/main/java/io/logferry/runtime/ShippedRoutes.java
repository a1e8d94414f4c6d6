package io.logferry.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Stream;

/**
 * The route files shipped in the jar ({@code classpath:routes/}), by name, from {@code routes/index.txt}, which
 * the build writes from the folder (pom.xml, execution {@code routes-index}). camel-main is given these names
 * rather than the pattern {@code routes/*.camel.yaml}: resolving a classpath wildcard makes Camel 4.18 read
 * every entry of the 50 MB jar, twice, which cost 1.3-1.4 s of every start.
 */
public final class ShippedRoutes {

    /** The error handling every tail template attaches (a routeConfiguration), loaded first. */
    static final String ERROR_HANDLING = "routes/error-handling.camel.yaml";

    /** The route templates. */
    static final List<String> TEMPLATES = readIndex().stream().filter(name -> !name.equals(ERROR_HANDLING))
            .toList();

    private ShippedRoutes() {
    }

    /** Every shipped file as camel-main route patterns, the error handling first. */
    public static List<String> patterns() {
        return Stream.concat(Stream.of(ERROR_HANDLING), TEMPLATES.stream())
                .map(name -> "classpath:" + name).toList();
    }

    private static List<String> readIndex() {
        try (InputStream in = ShippedRoutes.class.getClassLoader().getResourceAsStream("routes/index.txt")) {
            if (in == null) {
                throw new IllegalStateException("routes/index.txt is missing from the class path: build with Maven,"
                        + " which writes it (pom.xml, execution routes-index)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().map(String::strip)
                    .filter(line -> !line.isEmpty()).map(line -> "routes/" + line).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
