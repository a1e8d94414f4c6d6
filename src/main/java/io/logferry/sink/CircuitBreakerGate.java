package io.logferry.sink;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.event.CircuitBreakerOnStateTransitionEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * A sink's circuit breaker: resilience4j's {@link CircuitBreaker} counts the send attempts' outcomes, and while it
 * is open batches are refused before they reach the receiver (they are redelivered with backoff and, once their
 * attempts are spent, read again from their files: offsets stay, nothing is dead-lettered). When {@code openFor}
 * has passed, one caller probes the receiver with the sink's probe; only if it answers is the circuit half-open,
 * and one real batch decides whether it closes.
 *
 * <p>Not Camel's {@code circuitBreaker} EIP: on Camel 4.18 it runs its branch synchronously on a copy of the
 * exchange (an asynchronous sink's thread would wait for every ack), outside the route's error handler, and an
 * open circuit without a fallback completes the exchange <em>without</em> an exception, which would commit the
 * offsets of lines never sent. Thread-safe.
 */
final class CircuitBreakerGate {

    private static final Logger LOG = LoggerFactory.getLogger(CircuitBreakerGate.class);

    private final CircuitBreaker breaker;
    private final CircuitSettings settings;
    private final String name;
    private final BooleanSupplier probe;
    private final AtomicBoolean probing = new AtomicBoolean();
    private volatile long probeAt;

    CircuitBreakerGate(String name, CircuitSettings settings, BooleanSupplier probe) {
        this.name = name;
        this.settings = settings;
        this.probe = probe;
        CircuitBreakerConfig config = CircuitBreakerConfig.custom()
                .slidingWindowType(CircuitBreakerConfig.SlidingWindowType.TIME_BASED)
                .slidingWindowSize((int) Math.max(1, settings.window() / 1000))
                .minimumNumberOfCalls(settings.minimumCalls())
                .failureRateThreshold(settings.failureRate())
                .permittedNumberOfCallsInHalfOpenState(1)
                // this gate decides when to half-open (after a probe), so resilience4j must never do it itself
                .waitDurationInOpenState(Duration.ofDays(365))
                .automaticTransitionFromOpenToHalfOpenEnabled(false)
                .writableStackTraceEnabled(false)
                .build();
        breaker = CircuitBreaker.of(name, config);
        breaker.getEventPublisher().onStateTransition(this::transitioned);
        if (!settings.enabled()) {
            breaker.transitionToDisabledState();
        }
    }

    /** True if a batch may be sent now; then exactly one {@link #record} or {@link #release} must follow. */
    boolean permit() {
        if (breaker.getState() == CircuitBreaker.State.OPEN && !probeSucceeded()) {
            return false;
        }
        return breaker.tryAcquirePermission();
    }

    /** The attempt that {@link #permit} allowed ended with {@code outcome}. */
    void record(SinkOutcome.Final outcome, long nanos) {
        if (outcome instanceof SinkOutcome.Retry || outcome instanceof SinkOutcome.Unauthorized) {
            breaker.onError(nanos, TimeUnit.NANOSECONDS, new SinkRetryableException(outcome.toString()));
        } else if (outcome instanceof SinkOutcome.Stopped) {
            breaker.releasePermission();
        } else {
            // delivered, or refused for its content: either way the receiver answered
            breaker.onSuccess(nanos, TimeUnit.NANOSECONDS);
        }
    }

    /** 0 closed (or off), 1 open, 2 half-open: the circuit state gauge. */
    int stateCode() {
        return switch (breaker.getState()) {
            case OPEN, FORCED_OPEN -> 1;
            case HALF_OPEN -> 2;
            default -> 0;
        };
    }

    boolean isOpen() {
        return stateCode() == 1;
    }

    String describe() {
        return switch (breaker.getState()) {
            case OPEN -> "circuit open after " + failureSummary() + "; batches wait, the receiver is probed in "
                    + Math.max(0, (probeAt - System.nanoTime()) / 1_000_000) + " ms";
            case HALF_OPEN -> "circuit half-open: one batch decides whether it closes";
            case DISABLED -> "circuit breaker off";
            default -> "circuit closed";
        };
    }

    private boolean probeSucceeded() {
        if (System.nanoTime() - probeAt < 0 || !probing.compareAndSet(false, true)) {
            return false;
        }
        try {
            boolean answered = probe.getAsBoolean();
            if (answered) {
                breaker.transitionToHalfOpenState();
            } else {
                probeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.openFor());
                LOG.info("Sink {}: the receiver still does not answer its probe; next probe in {} ms", name,
                        settings.openFor());
            }
            return answered;
        } catch (RuntimeException e) {
            probeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.openFor());
            LOG.info("Sink {}: probing the receiver failed ({}); next probe in {} ms", name, e.toString(),
                    settings.openFor());
            return false;
        } finally {
            probing.set(false);
        }
    }

    private void transitioned(CircuitBreakerOnStateTransitionEvent event) {
        CircuitBreaker.State to = event.getStateTransition().getToState();
        if (to == CircuitBreaker.State.OPEN) {
            probeAt = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(settings.openFor());
            LOG.warn("Sink {}: circuit opened after {}; batches wait (offsets stay, nothing is dead-lettered) and"
                    + " the receiver is probed in {} ms", name, failureSummary(), settings.openFor());
        } else if (to == CircuitBreaker.State.CLOSED && event.getStateTransition().getFromState()
                == CircuitBreaker.State.HALF_OPEN) {
            LOG.info("Sink {}: circuit closed, the receiver took a batch again", name);
        }
    }

    private String failureSummary() {
        CircuitBreaker.Metrics metrics = breaker.getMetrics();
        return metrics.getNumberOfFailedCalls() + " failed of " + metrics.getNumberOfBufferedCalls()
                + " attempts in " + settings.window() / 1000 + " s";
    }
}
