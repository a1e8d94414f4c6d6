package io.logferry.cli;

import io.logferry.Version;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/** Runs the pipelines until stopped (Ctrl-C or SIGTERM flush batches and commit offsets before exiting). */
@Command(name = "run", mixinStandardHelpOptions = true, versionProvider = Version.class,
         description = "Run the pipelines of the configuration directory (the default command).")
public final class RunCommand implements Callable<Integer> {

    @Mixin
    private RunOptions options;

    @Override
    public Integer call() {
        return options.run();
    }
}
