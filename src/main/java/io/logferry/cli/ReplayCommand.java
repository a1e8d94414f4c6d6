package io.logferry.cli;

import io.logferry.deadletter.DeadLetterStore;
import io.logferry.deadletter.ReplayProgress;
import io.logferry.deadletter.ReplayRequest;
import io.logferry.deadletter.Since;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Queues dead letters for replay. The running logferry that owns the store resends them through their route
 * (or another one), removes what was delivered and keeps what fails again; with {@code --wait} this command
 * reports how that went.
 */
@Command(name = "replay", mixinStandardHelpOptions = true, description = "Queue dead letters for the running"
        + " logferry to resend through their route; delivered ones are removed, those that fail again stay (one"
        + " attempt more). Exit 0: queued (with --wait: all delivered); 2: some failed again; 3: some still wait"
        + " when --wait ran out (is logferry running that route?).")
final class ReplayCommand extends DeadLettersCommand.Sub {

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(200);

    @Option(names = "--route", paramLabel = "ROUTE", description = "Only the dead letters of this route.")
    String route;

    @Option(names = "--since", paramLabel = "TIME",
            description = "Only those refused at or after TIME: ISO-8601 (2026-12-04T10:00:00Z) or a duration"
                    + " ago (30m, 2h, 7d).")
    String since;

    @Option(names = "--through", paramLabel = "ROUTE",
            description = "Resend through this route (another sink) instead of each letter's own route.")
    String through;

    @Option(names = "--wait", paramLabel = "SECONDS", defaultValue = "0",
            description = "Wait up to SECONDS for the replay to finish and report it (default: ${DEFAULT-VALUE},"
                    + " do not wait).")
    long waitSeconds;

    @Override
    int run(DeadLetterStore store) {
        ReplayRequest request = store.replays().request(route, through, Since.parse(since));
        out().println("Queued " + request.queued() + " dead letter(s) for replay (request " + request.id()
                + ").");
        if (waitSeconds <= 0 || request.queued() == 0) {
            return 0;
        }
        ReplayProgress progress = await(store, request, Duration.ofSeconds(waitSeconds));
        out().println("Delivered " + progress.delivered() + ", failed again " + progress.failed()
                + ", still waiting " + progress.waiting() + ".");
        if (progress.waiting() > 0) {
            err().println("logferry deadletters: " + progress.waiting() + " dead letter(s) were not resent within "
                    + waitSeconds + " s; is logferry running with the route" + (through != null ? " " + through
                    : route != null ? " " + route : "s they name") + "? They stay queued.");
            return 3;
        }
        return progress.failed() > 0 ? 2 : 0;
    }

    private static ReplayProgress await(DeadLetterStore store, ReplayRequest request, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        ReplayProgress progress = store.replays().progress(request);
        while (progress.waiting() > 0 && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(POLL_NANOS); // another process does the work: nothing to wait on but the file
            progress = store.replays().progress(request);
        }
        return progress;
    }
}
