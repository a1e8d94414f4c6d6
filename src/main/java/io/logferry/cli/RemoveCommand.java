package io.logferry.cli;

import io.logferry.deadletter.DeadLetterStore;
import io.logferry.deadletter.Since;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;

/** Removes dead letters an operator gave up on (to make room in a full store, or after handling them by hand). */
@Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove dead letters for good: the"
        + " ones named by ID, or with --route/--since/--all those that match.")
final class RemoveCommand extends DeadLettersCommand.Sub {

    @Parameters(paramLabel = "ID", arity = "0..*", description = "Ids printed by list.")
    List<Long> ids;

    @Option(names = "--route", paramLabel = "ROUTE", description = "All dead letters of this route.")
    String route;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only those refused at or after TIME: ISO-8601 or a duration ago (30m, 2h, 7d).")
    String since;

    @Option(names = "--all", description = "Every dead letter (with --since: every one since then).")
    boolean all;

    @Override
    int run(DeadLetterStore store) {
        boolean byIds = ids != null && !ids.isEmpty();
        boolean byMatch = route != null || all;
        if (byIds == byMatch) {
            err().println("logferry deadletters remove: give either ids, or --route ROUTE / --all"
                    + " (optionally with --since TIME)");
            return 1;
        }
        int removed = byIds ? store.remove(ids) : store.remove(route, Since.parse(since));
        out().println("Removed " + removed + " dead letter(s).");
        return 0;
    }
}
