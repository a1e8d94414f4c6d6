package io.logferry.cli;

import io.logferry.runtime.ConfigCheck;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;

/** Checks the configuration without starting anything; exit 0 when a start would accept it, else 1. */
@Command(name = "check", mixinStandardHelpOptions = true,
         description = "Check the configuration (route files, parameters, certificates, store, globs) without"
                 + " starting anything. Exit 0 when logferry would start with it, 1 otherwise.")
public final class CheckCommand implements Callable<Integer> {

    @Mixin
    private RunOptions options;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        try {
            return report(spec.commandLine().getOut(), spec.commandLine().getErr());
        } finally {
            spec.commandLine().getOut().flush();
            spec.commandLine().getErr().flush();
        }
    }

    private int report(PrintWriter out, PrintWriter err) {
        ConfigCheck.Result result;
        try {
            result = new ConfigCheck(options.config(), options.routes()).run();
        } catch (IOException e) {
            err.println("error: cannot read the configuration: " + e.getMessage());
            return 1;
        }
        result.warnings().forEach(w -> out.println("warning: " + w));
        result.problems().forEach(p -> out.println("error: " + p));
        if (!result.problems().isEmpty()) {
            out.println(result.problems().size() + " problem(s): logferry would not start with "
                    + options.config());
            return 1;
        }
        out.println("configuration OK: " + result.routes() + " pipeline(s) in " + options.config());
        return 0;
    }
}
