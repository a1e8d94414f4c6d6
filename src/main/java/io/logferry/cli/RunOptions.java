package io.logferry.cli;

import io.logferry.runtime.LogferryRuntime;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the configuration is: the options of {@code run}, the bare {@code logferry} command and {@code check}. */
public final class RunOptions {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "config",
            description = "Configuration directory holding application.properties and routes/"
                    + " (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Option(names = "--routes", paramLabel = "GLOB",
            description = "Route files to load instead of DIR/routes/*.yaml, e.g. 'pipelines/*.camel.yaml'.")
    private String routes;

    public Path config() {
        return config;
    }

    public String routes() {
        return routes;
    }

    /** Runs the pipelines until stopped; the process exit code. */
    public int run() {
        return new LogferryRuntime(config, routes).run();
    }
}
