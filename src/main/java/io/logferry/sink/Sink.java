package io.logferry.sink;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import io.logferry.metrics.Meters;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.metrics.SinkMeters;
import io.logferry.redelivery.RateLimitedLog;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * The sink contract (docs/ARCHITECTURE.md, "The sink contract"), as the base class of every tail sink. A sink
 * receives a {@link LogBatch} (one aggregated exchange) in {@link #send} and settles it with exactly one final
 * {@link SinkOutcome} through its {@link SinkResult}; it never throws to say what happened and never relies on
 * a global list of exception classes. This class turns the outcome into the exchange's state, which the route's
 * error handler acts on (retry with backoff, dead letter, neither), and gives every sink the same parts:
 * <ul>
 * <li>a readiness check {@code sink:<sink>-<route>} from the sink's {@link SinkHealth} (required: a sink that
 * returns none does not start), DOWN while the circuit is open;</li>
 * <li>a circuit breaker ({@link CircuitSettings}, on by default) whose half-open probe is {@link #probe};</li>
 * <li>the meters of {@link SinkMeters}: send latency and outcome per attempt, health, circuit, in flight;</li>
 * <li>its name and endpoint on the exchange, which the dead-letter writer records.</li>
 * </ul>
 * An exception escaping {@link #send} is a bug in the sink, not the data's fault: it is logged and the batch is
 * retried (its offsets stay), never dead-lettered.
 */
public abstract class Sink extends RouteSinkSupport {

    private static final Logger LOG = LoggerFactory.getLogger(Sink.class);
    private static final RateLimitedLog REPLACED = new RateLimitedLog(LOG, 60_000);

    private final CircuitSettings circuit = new CircuitSettings();
    private CircuitBreakerGate gate;
    private SinkMeters meters;
    private String endpoint;

    /** @param sinkName the sink's name in meters, logs, health checks and dead letters (hec, syslog, store) */
    protected Sink(String sinkName) {
        super(sinkName);
    }

    /** The circuit breaker's options ({@code circuit.enabled}, {@code circuit.minimumCalls}, ...). */
    public CircuitSettings getCircuit() {
        return circuit;
    }

    /**
     * Validates the options, opens what the sink needs and returns its health. Runs when the route starts; an
     * exception stops the start with its message, which must say what to fix.
     */
    protected abstract SinkHealth startSink() throws Exception;

    /**
     * Releases what {@link #startSink} opened. Batches still open must be settled ({@link SinkOutcome.Stopped}, or
     * {@link SinkOutcome.Retry} where a resend may still succeed), never left hanging.
     */
    protected abstract void stopSink();

    /** Where the sink delivers, without secrets ({@code hec:https://splunk.example:8088}); set by start. */
    protected abstract String endpoint();

    /**
     * Sends the batch (not empty) and settles it through {@code result}, now or later from any thread. The
     * exchange is there for state kept across redeliveries of the same batch.
     */
    protected abstract void send(Exchange exchange, LogBatch batch, SinkResult result);

    /**
     * Whether the receiver answers, asked before an open circuit lets a batch through again. The default says
     * yes and lets that one batch be the probe; sinks with a cheap check of their own (a health endpoint, a
     * connection) override it.
     */
    protected boolean probe() {
        return true;
    }

    /**
     * True while the circuit is open. A sink that queues requests of batches it already took can ask before each
     * send, so work queued before the circuit opened does not reach a receiver that is down.
     */
    protected final boolean circuitOpen() {
        return gate != null && gate.isOpen();
    }

    @Override
    protected final void doStart() throws Exception {
        circuit.validate(getRouteId());
        SinkHealth health = startSink();
        if (health == null) {
            throw new IllegalStateException("Sink " + getClass().getName() + " returned no health from startSink():"
                    + " every sink must say whether it is ready (the sink contract, docs/ARCHITECTURE.md)");
        }
        endpoint = endpoint();
        PipelineMetrics metrics = metrics();
        meters = metrics != null ? metrics.sink(getRouteId(), sinkName())
                : SinkMeters.standalone(getRouteId(), sinkName());
        gate = new CircuitBreakerGate(describe(), circuit, this::probe);
        SinkHealthCheck check = new SinkHealthCheck(sinkName() + "-" + getRouteId(), health, gate, meters);
        meters.reportFrom(() -> check.lastUp() ? 1 : 0, gate::stateCode);
        registerHealthCheck(check);
        LOG.debug("Sink {} started: {}, {}", describe(), endpoint, circuit);
    }

    @Override
    protected final void doStop() {
        try {
            stopSink();
        } finally {
            unregisterHealthCheck();
        }
    }

    @Override
    public final boolean process(Exchange exchange, AsyncCallback callback) {
        exchange.setProperty(BatchConstants.SINK, sinkName());
        exchange.setProperty(BatchConstants.SINK_ENDPOINT, endpoint);
        LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
        if (batch == null || batch.size() == 0) {
            callback.done(true);
            return true;
        }
        if (!gate.permit()) {
            meters.refusedByCircuit(batch.size());
            exchange.setException(new SinkRetryableException("Sink " + describe() + ": " + gate.describe()));
            callback.done(true);
            return true;
        }
        Attempt attempt = new Attempt(this, exchange, callback, batch.size(), batch.bytes());
        meters.sending(attempt.lines(), attempt.bytes());
        try {
            send(exchange, batch, attempt);
        } catch (RuntimeException e) {
            LOG.warn("Sink {} failed unexpectedly (a bug, not the data's fault): the batch is retried", describe(), e);
            if (attempt.isOpen()) {
                attempt.done(new SinkOutcome.Retry("unexpected " + e));
            }
        }
        if (attempt.settledWhileSending()) {
            callback.done(true);
            return true;
        }
        return false;
    }

    /** Records the attempt's outcome and carries it to the exchange; called once per attempt. */
    final void settle(Attempt attempt, SinkOutcome.Final outcome) {
        long nanos = attempt.nanosSinceStart();
        meters.settled(attempt.lines(), attempt.bytes(), outcomeTag(outcome), Duration.ofNanos(nanos));
        gate.record(outcome, nanos);
        RuntimeException failure = SinkOutcome.asException(outcome);
        if (failure != null) {
            attempt.exchange().setException(failure);
        }
    }

    /**
     * {@code lines} lines were sent with U+FFFD in place of bytes that were not well-formed UTF-8 (a sink that
     * takes Unicode only): counted, and logged at most once a minute per sink.
     */
    protected final void linesReplaced(int lines) {
        if (lines <= 0) {
            return;
        }
        meters.replaced(lines);
        REPLACED.warn(describe(), () -> "Sink " + describe() + ": " + lines + " line(s) were not well-formed UTF-8"
                + " and were sent with U+FFFD in place of the invalid bytes (this sink takes Unicode only; the"
                + " store and syslog keep the exact bytes)");
    }

    /** The sink's name and route, for logs. */
    public final String describe() {
        return sinkName() + " (route " + getRouteId() + ")";
    }

    private static String outcomeTag(SinkOutcome.Final outcome) {
        if (outcome instanceof SinkOutcome.Delivered) {
            return Meters.DELIVERED;
        } else if (outcome instanceof SinkOutcome.Retry) {
            return "retry";
        } else if (outcome instanceof SinkOutcome.Unauthorized) {
            return "unauthorized";
        } else if (outcome instanceof SinkOutcome.RejectAll) {
            return "rejected";
        }
        return "stopped";
    }
}
