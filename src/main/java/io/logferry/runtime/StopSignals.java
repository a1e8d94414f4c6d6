package io.logferry.runtime;

import org.apache.camel.main.MainSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

import java.util.concurrent.atomic.AtomicBoolean;

/**
 * SIGTERM and SIGINT ask camel-main to stop gracefully (flush batches, wait for deliveries, commit), after
 * which the process exits 0, as service managers expect. A second signal gives up at once with exit code 130:
 * what was not confirmed is not committed and is read again at the next start.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private StopSignals() {
    }

    static void install(MainSupport main) {
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            try {
                Signal.handle(new Signal(name), signal -> {
                    if (stopping.compareAndSet(false, true)) {
                        LOG.info("SIG{} received: stopping (batches are flushed and offsets committed);"
                                + " send it again to exit at once", name);
                        main.completed();
                    } else {
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
