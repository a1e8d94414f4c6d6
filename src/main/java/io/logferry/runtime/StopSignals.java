package io.logferry.runtime;

import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * SIGTERM and SIGINT ask camel-main to stop gracefully (flush batches, wait for deliveries, commit), after
 * which the process exits 0, as service managers expect. A second signal (more than 2 s later) gives up at once with exit code 130:
 * what was not confirmed is not committed and is read again at the next start.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);
    /** Signals closer together than this are one request: timeout(1) and some supervisors signal twice. */
    private static final long REPEAT_AFTER_NANOS = TimeUnit.SECONDS.toNanos(2);

    private StopSignals() {
    }

    static void install(MainSupport main) {
        AtomicLong firstSignalNanos = new AtomicLong();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    long now = System.nanoTime();
                    if (firstSignalNanos.compareAndSet(0, now)) {
                        LOG.info("SIG{} received: stopping (batches are flushed and offsets committed);"
                                + " send it again to exit at once", name);
                        main.completed();
                    } else if (now - firstSignalNanos.get() > REPEAT_AFTER_NANOS) {
                        LOG.warn("SIG{} received again: exiting without waiting; unconfirmed lines are read"
                                + " again at the next start", name);
                        Runtime.getRuntime().halt(130);
                    }
                });
            } catch (IllegalArgumentException e) {
                LOG.debug("Cannot handle SIG{} here: {}", name, e.getMessage());
            }
        }
    }
}
