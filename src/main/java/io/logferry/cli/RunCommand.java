package io.logferry.cli;

import io.logferry.runtime.LogferryRuntime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.concurrent.Callable;

/** Runs the pipelines until stopped (Ctrl-C or SIGTERM flush batches and commit offsets before exiting). */
@Command(name = "run", description = "Run the pipelines of the configuration directory (the default command).")
public final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", paramLabel = "DIR", defaultValue = "config",
            description = "Configuration directory holding application.properties and routes/ (default: ${DEFAULT-VALUE}).")
    private Path config;

    @Option(names = "--routes", paramLabel = "GLOB",
            description = "Route files to load instead of DIR/routes/*.yaml, e.g. 'pipelines/*.camel.yaml'.")
    private String routes;

    @Override
    public Integer call() {
        return new LogferryRuntime(config, routes).run();
    }
}
