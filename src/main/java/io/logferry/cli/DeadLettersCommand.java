package io.logferry.cli;

import io.logferry.deadletter.DeadLetter;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.deadletter.StoredDeadLetter;
import io.logferry.runtime.RunnerProperties;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * Reads the dead-letter store (how many lines were refused for good, which, and why) and queues them for
 * replay by the running logferry.
 */
@Command(name = "deadletters", mixinStandardHelpOptions = true,
         description = "List, count, show, replay and remove the lines sinks refused for good.",
         subcommands = {DeadLettersCommand.Count.class, DeadLettersCommand.ListLetters.class,
                 DeadLettersCommand.Show.class, ReplayCommand.class,
                 RemoveCommand.class})
public final class DeadLettersCommand {

    // INHERIT: accepted before or after the subcommand (deadletters count --config DIR)
    @Option(names = "--config", paramLabel = "DIR", defaultValue = "config", scope = ScopeType.INHERIT,
            description = "Configuration directory whose application.properties names the store (default: ${DEFAULT-VALUE}).")
    Path config;

    @Option(names = "--db", paramLabel = "FILE", scope = ScopeType.INHERIT,
            description = "Dead-letter database to read instead of logferry.deadletters.db-path.")
    Path db;

    DeadLetterStore open() throws IOException {
        Path file = db != null ? db : Path.of(RunnerProperties.get(config, "logferry.deadletters.db-path"));
        if (!Files.isRegularFile(file)) {
            throw new IOException("No dead-letter store at " + file.toAbsolutePath() + " (nothing was refused yet,"
                    + " or pass --config DIR / --db FILE)");
        }
        DeadLetterStore store = new DeadLetterStore(file);
        store.start();
        return store;
    }

    /** Shared shape of the subcommands: open the store, do one thing, report problems in one line. */
    abstract static class Sub implements Callable<Integer> {
        @ParentCommand
        DeadLettersCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            try {
                DeadLetterStore store = parent.open();
                try {
                    return run(store);
                } finally {
                    store.stop();
                }
            } catch (IOException | RuntimeException e) {
                err().println("logferry deadletters: " + e.getMessage());
                return 1;
            } finally {
                out().flush();
                err().flush();
            }
        }

        abstract int run(DeadLetterStore store);

        /** Picocli's writers rather than System.out, so a caller (or a test) decides where the report goes. */
        PrintWriter out() {
            return spec.commandLine().getOut();
        }

        PrintWriter err() {
            return spec.commandLine().getErr();
        }
    }

    @Command(name = "count", mixinStandardHelpOptions = true, description = "Print the number of dead letters.")
    static final class Count extends Sub {
        @Override
        int run(DeadLetterStore store) {
            out().println(store.count());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
             description = "One line per dead letter, oldest first: id, time, route, origin, reason.")
    static final class ListLetters extends Sub {
        @Option(names = "--limit", defaultValue = "100", description = "Most letters to list (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        int run(DeadLetterStore store) {
            List<StoredDeadLetter> letters = store.list(limit);
            if (letters.isEmpty()) {
                out().println("No dead letters in " + store.file() + ".");
            }
            for (StoredDeadLetter stored : letters) {
                DeadLetter l = stored.letter();
                out().printf("%d\t%s\t%s\t%s:%d\t%s%n", stored.id(), stored.createdAt(), l.routeId(),
                        l.line().path(), l.line().offset(), l.reason());
            }
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
             description = "Every field of one dead letter, the line included.")
    static final class Show extends Sub {
        @Parameters(paramLabel = "ID", description = "The id printed by list.")
        long id;

        @Override
        int run(DeadLetterStore store) {
            StoredDeadLetter stored = store.find(id);
            if (stored == null) {
                err().println("logferry deadletters: no dead letter with id " + id + " (see deadletters list)");
                return 1;
            }
            DeadLetter l = stored.letter();
            out().println("id:          " + stored.id());
            out().println("written:     " + stored.createdAt());
            out().println("route:       " + l.routeId());
            out().println("sink:        " + l.sink());
            out().println("origin:      " + l.line().source() + " / " + l.line().fingerprint() + " @ "
                    + l.line().offset());
            out().println("path:        " + l.line().path());
            out().println("attempts:    " + l.attempts());
            out().println("reason:      " + l.reason());
            out().println("line:        " + l.line().text());
            return 0;
        }
    }
}
