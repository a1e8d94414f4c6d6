package io.logferry.sink.hec;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the sink has been through, for its health check and its logs: counters, and whether it is failing
 * now. A failure streak is logged once when it starts (at ERROR for a token or configuration problem, WARN
 * otherwise) and once when delivery works again, not once per request. Thread-safe.
 */
final class HecSinkState {

    private static final Logger LOG = LoggerFactory.getLogger(HecSinkState.class);

    final AtomicLong requests = new AtomicLong();
    final AtomicLong eventsDelivered = new AtomicLong();
    final AtomicLong eventsDeadLettered = new AtomicLong();
    final AtomicLong resends = new AtomicLong();

    private final String name;
    private String problem;
    private boolean unauthorized;
    private long failingSince;

    HecSinkState(String name) {
        this.name = name;
    }

    void delivered(int events) {
        eventsDelivered.addAndGet(events);
        synchronized (this) {
            if (problem != null) {
                LOG.info("HEC sink {} delivers again after {} s of failures ({})", name,
                        (System.currentTimeMillis() - failingSince) / 1000, problem);
                problem = null;
                unauthorized = false;
            }
        }
    }

    void failed(String reason, boolean tokenProblem) {
        synchronized (this) {
            if (problem == null || tokenProblem != unauthorized) {
                if (tokenProblem) {
                    LOG.error("HEC sink {} cannot deliver: {}. Lines wait in their files until this is fixed.",
                            name, reason);
                } else {
                    LOG.warn("HEC sink {} cannot deliver: {}. Retrying with backoff.", name, reason);
                }
                failingSince = problem == null ? System.currentTimeMillis() : failingSince;
            }
            problem = reason;
            unauthorized = tokenProblem;
        }
    }

    /** The current problem, or null when the last request was delivered. */
    synchronized String problem() {
        return problem;
    }

}
