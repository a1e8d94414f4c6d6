package io.logferry;

import io.logferry.cli.CheckCommand;
import io.logferry.cli.DeadLettersCommand;
import io.logferry.cli.LogFile;
import io.logferry.cli.PkiCommand;
import io.logferry.cli.RunCommand;
import io.logferry.cli.RunOptions;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.util.concurrent.Callable;

/**
 * The command line: {@code run} (the default) starts the pipelines found in the configuration directory; {@code pki}
 * creates a CA and host certificates for syslog over mutual TLS; {@code deadletters} reads the dead-letter store.
 */
@Command(name = "logferry", mixinStandardHelpOptions = true, versionProvider = Version.class,
         description = "Ships every log line to its sink, losing and duplicating nothing.",
         subcommands = {RunCommand.class, CheckCommand.class, PkiCommand.class, DeadLettersCommand.class})
public final class Main implements Callable<Integer> {

    @Mixin
    private RunOptions run;

    public static void main(String[] args) {
        LogFile.configureFromEnvironment();
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        return run.run();
    }
}
