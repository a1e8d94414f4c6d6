package io.logferry.cli;

import io.logferry.runtime.LogferryRuntime;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The options of running the pipelines, shared by {@code run} and the bare {@code logferry} command. */
public final class RunOptions {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "config",
            description = "Configuration directory holding application.properties and routes/"
                    + " (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Option(names = "--routes", paramLabel = "GLOB",
            description = "Route files to load instead of DIR/routes/*.yaml, e.g. 'pipelines/*.camel.yaml'.")
    private String routes;

    /** Runs the pipelines until stopped; the process exit code. */
    public int run() {
        return new LogferryRuntime(config, routes).run();
    }
}
