package io.logferry.runtime;

import org.apache.camel.main.Main;
import org.apache.camel.main.SimpleMainShutdownStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts camel-main on a configuration directory: the shipped route templates from the jar, the user's route
 * files, runner defaults from the jar overlaid by DIR/application.properties (and by system properties or
 * environment variables, as camel-main does). A start-up failure ends with one clear message and exit code 1.
 */
public final class LogferryRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LogferryRuntime.class);

    private final Path configDir;
    private final String routes;

    public LogferryRuntime(Path configDir, String routes) {
        this.configDir = configDir;
        this.routes = routes;
    }

    public int run() {
        if (!Files.isDirectory(configDir)) {
            LOG.error("Configuration directory {} does not exist. Run logferry from the directory that holds"
                    + " config/, or pass --config DIR.", configDir.toAbsolutePath());
            return 2;
        }
        String userRoutes = userRoutes();
        List<String> problems;
        try {
            problems = new RouteFileCheck().check(RouteFileCheck.files(userRoutes));
        } catch (IOException e) {
            LOG.error("logferry could not start: cannot read the route files {}: {}", userRoutes, e.toString());
            return 1;
        }
        if (!problems.isEmpty()) {
            problems.forEach(p -> LOG.error("logferry could not start: {}", p));
            return 1;
        }
        Main main = new Main();
        main.configure().addConfiguration(LogferryConfiguration.class);
        Path properties = configDir.resolve("application.properties");
        // the first location that has a key wins: the user's file, then the jar's defaults
        main.setPropertyPlaceholderLocations("file:" + properties + ";optional=true,"
                + "classpath:logferry-defaults.properties");
        // camel-main loads the shipped templates (and classpath: route patterns); the user's route files are
        // loaded one by one by RouteFiles, which remembers each file's routes so that the file can be reloaded
        main.configure().withRoutesIncludePattern(String.join(",", nonFilePatterns(userRoutes)));
        main.addMainListener(new RouteFilesListener(userRoutes));
        StopSignals signals = StopSignals.install(main);
        // StopSignals handles TERM, INT and HUP. camel-main's default strategy adds a JVM shutdown hook that logs
        // "JVM shutdown hook triggered by SIGTERM" at every exit, a failed start included, and on Camel 4.18 its
        // disableHangupSupport() does not stop the hook from being installed: the simple strategy has none
        main.setShutdownStrategy(new SimpleMainShutdownStrategy());
        try {
            main.run();
            return signals.exitCode(main.getExitCode());
        } catch (Exception e) {
            LOG.error("logferry could not start: {}", StartupFailure.describe(e));
            LOG.debug("Start-up failure", e);
            return 1;
        }
    }

    private static List<String> nonFilePatterns(String userRoutes) {
        List<String> patterns = new ArrayList<>(ShippedRoutes.patterns());
        for (String pattern : userRoutes.split(",")) {
            if (!pattern.isBlank() && !pattern.strip().startsWith("file:")) {
                patterns.add(pattern.strip());
            }
        }
        return patterns;
    }

    private String userRoutes() {
        return userRoutes(configDir, routes);
    }

    /** The user's route file patterns: {@code routes} as given (a plain glob is a file: one), else DIR/routes. */
    static String userRoutes(Path configDir, String routes) {
        if (routes != null) {
            return routes.startsWith("file:") || routes.startsWith("classpath:") ? routes : "file:" + routes;
        }
        return "file:" + configDir.resolve("routes") + "/*.yaml";
    }
}
