package io.logferry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.DoubleSupplier;

/**
 * The meters every sink has (docs/ARCHITECTURE.md, "The sink contract"), one set per route and sink: each send
 * attempt's latency and outcome, the health check's latency and status, the circuit state, the success ratio of
 * the last {@value #WINDOW} attempts, and the lines and bytes in flight. The {@code outcome} tag is a closed set.
 * Gauges read through holders, so a sink started again (a reloaded route) reports through the gauges registered
 * first. Thread-safe.
 */
public final class SinkMeters {

    /** Attempts the success ratio looks back over. */
    static final int WINDOW = 100;

    private final MeterRegistry registry;
    private final Tags tags;
    private final Map<String, Timer> sends = new ConcurrentHashMap<>();
    private final Map<String, Counter> events = new ConcurrentHashMap<>();
    private final Timer healthCheck;
    private final Counter replaced;
    private final AtomicLong inflightLines = new AtomicLong();
    private final AtomicLong inflightBytes = new AtomicLong();
    private final AtomicReference<DoubleSupplier> healthy = new AtomicReference<>(() -> 1);
    private final AtomicReference<DoubleSupplier> circuit = new AtomicReference<>(() -> 0);
    private final boolean[] recent = new boolean[WINDOW];
    private int attempts;
    private int successes;

    SinkMeters(MeterRegistry registry, String route, String sink) {
        this.registry = registry;
        this.tags = Tags.of(Meters.ROUTE, route, Meters.SINK, sink);
        replaced = Counter.builder(Meters.SINK_LINES_REPLACED)
                .description("Lines sent with U+FFFD in place of bytes that were not well-formed UTF-8")
                .tags(tags).register(registry);
        healthCheck = Timer.builder(Meters.SINK_HEALTH_CHECK).description("Time the sink's health check took")
                .tags(tags).publishPercentileHistogram().register(registry);
        gauge(Meters.SINK_INFLIGHT_LINES, inflightLines::get, "Lines handed to the sink and not yet settled");
        gauge(Meters.SINK_INFLIGHT_BYTES, inflightBytes::get, "Bytes handed to the sink and not yet settled");
        gauge(Meters.SINK_HEALTHY, () -> healthy.get().getAsDouble(), "1 while the sink's health check was UP when it last ran, else 0");
        gauge(Meters.SINK_CIRCUIT_STATE, () -> circuit.get().getAsDouble(),
                "The sink's circuit breaker: 0 closed, 1 open (batches wait), 2 half-open (probing)");
        gauge(Meters.SINK_SUCCESS_RATIO, this::successRatio,
                "Share of the last " + WINDOW + " send attempts that were delivered (1 before any)");
    }

    /** A meter set recording into a registry of its own, for a sink outside a logferry context. */
    public static SinkMeters standalone(String route, String sink) {
        return new SinkMeters(new SimpleMeterRegistry(), route, sink);
    }

    /** How the health gauge and the circuit gauge read the sink that runs now. */
    public void reportFrom(DoubleSupplier healthy, DoubleSupplier circuitState) {
        this.healthy.set(healthy);
        this.circuit.set(circuitState);
    }

    public void sending(int lines, long bytes) {
        inflightLines.addAndGet(lines);
        inflightBytes.addAndGet(bytes);
    }

    /** A send attempt of {@code lines} lines ended with {@code outcome} after {@code latency}. */
    public void settled(int lines, long bytes, String outcome, Duration latency) {
        inflightLines.addAndGet(-lines);
        inflightBytes.addAndGet(-bytes);
        sends.computeIfAbsent(outcome, o -> Timer.builder(Meters.SINK_SEND)
                .description("One send attempt of a batch, from the sink taking it to its outcome")
                .tags(tags).tag(Meters.OUTCOME, o).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry)).record(latency);
        events(outcome).increment(lines);
        remember(Meters.DELIVERED.equals(outcome));
    }

    /** A batch of {@code lines} lines was not sent because the circuit is open. */
    public void refusedByCircuit(int lines) {
        events(Meters.CIRCUIT_OPEN).increment(lines);
    }

    /** {@code lines} lines were sent with U+FFFD in place of bytes that were not well-formed UTF-8. */
    public void replaced(int lines) {
        replaced.increment(lines);
    }

    public void healthChecked(Duration latency) {
        healthCheck.record(latency);
    }

    private Counter events(String outcome) {
        return events.computeIfAbsent(outcome, o -> Counter.builder(Meters.SINK_EVENTS)
                .description("Lines by the outcome of their send attempt").tags(tags).tag(Meters.OUTCOME, o)
                .register(registry));
    }

    private synchronized void remember(boolean success) {
        int slot = attempts % WINDOW;
        if (attempts >= WINDOW && recent[slot]) {
            successes--;
        }
        recent[slot] = success;
        if (success) {
            successes++;
        }
        attempts++;
    }

    private synchronized double successRatio() {
        int n = Math.min(attempts, WINDOW);
        return n == 0 ? 1 : (double) successes / n;
    }

    private void gauge(String name, java.util.function.Supplier<Number> value, String description) {
        Gauge.builder(name, value).description(description).tags(tags).strongReference(true).register(registry);
    }
}
