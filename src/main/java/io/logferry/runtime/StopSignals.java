package io.logferry.runtime;

import io.logferry.offset.UnconfirmedBatches;
import org.apache.camel.CamelContext;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stop sequence. SIGTERM, SIGINT or SIGHUP asks camel-main to stop gracefully: the tails stop reading, the
 * Aggregators flush their open batches, and in-flight deliveries get {@code camel.main.shutdown-timeout}
 * seconds to be confirmed and committed. Exit codes:
 * <ul>
 * <li>0: everything handed to a sink was confirmed and committed;</li>
 * <li>{@value #EXIT_UNCONFIRMED} (EX_TEMPFAIL): the timeout ran out, or a batch failed during the stop; what
 * was not confirmed is not committed and is sent again by the next run;</li>
 * <li>{@value #EXIT_SECOND_SIGNAL}: a second signal (more than 2 s after the first) exits at once, committing
 * nothing more.</li>
 * </ul>
 */
final class StopSignals extends MainListenerSupport {

    static final int EXIT_UNCONFIRMED = 75;
    static final int EXIT_SECOND_SIGNAL = 130;
    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    /** Signals closer together than this are one request: timeout(1) and some supervisors signal twice. */
    private static final long REPEAT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final MainSupport main;
    private final AtomicLong firstSignalNanos = new AtomicLong();
    // set once Camel has started (the registry forgets its beans when the context stops)
    private volatile CamelContext context;
    private volatile UnconfirmedBatches unconfirmed;

    private StopSignals(MainSupport main) {
        this.main = main;
    }

    static StopSignals install(MainSupport main) {
        StopSignals signals = new StopSignals(main);
        main.addMainListener(signals);
        for (String name : new String[] {"TERM", "INT", "HUP"}) {
            try {
                Signal.handle(new Signal(name), signal -> signals.received(name));
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
        return signals;
    }

    @Override
    public void afterStart(BaseMainSupport started) {
        unconfirmed = started.getCamelContext().getRegistry()
                .lookupByNameAndType(LogferryConfiguration.UNCONFIRMED, UnconfirmedBatches.class);
        context = started.getCamelContext();
    }

    /** The exit code once camel-main has stopped, logging what was left unconfirmed. */
    int exitCode(int mainExitCode) {
        if (context == null || mainExitCode != 0) {
            return mainExitCode;
        }
        long lines = unconfirmed.unconfirmedLines();
        if (lines == 0 && !context.getShutdownStrategy().isTimeoutOccurred()) {
            LOG.info("stopped: every line handed to a sink was confirmed and its offset committed");
            return mainExitCode;
        }
        LOG.warn("exiting without confirmation of {} lines; they will be sent again at the next start (the"
                + " stop took longer than camel.main.shutdown-timeout or a batch failed)", lines);
        return EXIT_UNCONFIRMED;
    }

    private void received(String name) {
        long now = System.nanoTime();
        if (firstSignalNanos.compareAndSet(0, now)) {
            stopGracefully(name);
        } else if (now - firstSignalNanos.get() > REPEAT_AFTER_NANOS) {
            LOG.warn("SIG{} received again: exiting without confirmation of {} lines; they will be sent again at"
                    + " the next start", name, context == null ? 0 : unconfirmed.unconfirmedLines());
            Runtime.getRuntime().halt(EXIT_SECOND_SIGNAL);
        }
    }

    private void stopGracefully(String name) {
        if (context != null) {
            unconfirmed.stopping();
            long seconds = context.getShutdownStrategy().getTimeUnit()
                    .toSeconds(context.getShutdownStrategy().getTimeout());
            LOG.info("SIG{} received, stopping: waiting up to {} s for {} batches in flight (open batches are"
                    + " flushed first); send it again to exit at once", name, seconds,
                    unconfirmed.inFlightBatches());
        }
        main.completed();
    }
}
