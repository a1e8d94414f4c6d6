package io.logferry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * Records logferry's meters ({@link Meters}) in the registry Camel's Prometheus endpoint serves, so one
 * scrape shows both. Meters are created on first use per tag set and cached. Thread-safe.
 */
public final class PipelineMetrics {

    /** The registry bean of this name holds logferry's meters. */
    public static final String BEAN = "pipelineMetrics";

    private final MeterRegistry registry;
    private final Map<String, Counter> counters = new ConcurrentHashMap<>();
    private final Map<String, Timer> timers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> sinkUp = new ConcurrentHashMap<>();
    private final Map<String, ListenerMeters> listeners = new ConcurrentHashMap<>();
    private final Map<String, SinkMeters> sinks = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<HecAckState>> hecAcks = new ConcurrentHashMap<>();
    private final Map<String, Gauge> gauges = new ConcurrentHashMap<>();
    private final Map<String, AtomicReference<Supplier<Number>>> suppliers = new ConcurrentHashMap<>();
    private volatile ToDoubleFunction<String> unconfirmedAges = route -> 0;

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** logferry's meters in {@code context}, or null in a context without them (a bare test context). */
    public static PipelineMetrics of(CamelContext context) {
        return context.getRegistry().lookupByNameAndType(BEAN, PipelineMetrics.class);
    }

    /** A batch of {@code lines} lines was confirmed by its sink after {@code latency}. */
    public void delivered(String route, String sink, int lines, Duration latency) {
        counter(Meters.EVENTS_SENT, route, sink).increment(lines);
        counter(Meters.BATCHES_SENT, route, sink).increment();
        timer(route, sink).record(latency);
        up(route, sink).set(1);
    }

    /** A batch of {@code lines} lines failed after its redeliveries; the lines are read again later. */
    public void failed(String route, String sink, int lines) {
        counter(Meters.EVENTS_FAILED, route, sink).increment(lines);
        counter(Meters.BATCHES_FAILED, route, sink).increment();
        up(route, sink).set(0);
    }

    public void deadLettered(String route, String sink, int lines) {
        counter(Meters.EVENTS_DEAD_LETTERED, route, sink).increment(lines);
    }

    /** {@code lines} lines of the route and sink were dropped on purpose, for {@code reason}. */
    public void dropped(String route, String sink, String reason, int lines) {
        counters.computeIfAbsent(Meters.EVENTS_DROPPED + '|' + route + '|' + sink + '|' + reason, k -> Counter
                .builder(Meters.EVENTS_DROPPED).description("Lines dropped on purpose")
                .tags(Meters.ROUTE, route, Meters.SINK, sink, Meters.REASON, reason).register(registry))
                .increment(lines);
    }

    public void retried(String route) {
        retried(route, 1);
    }

    public void retried(String route, int times) {
        counters.computeIfAbsent(Meters.RETRIES + '|' + route, k -> Counter.builder(Meters.RETRIES)
                .description("Redeliveries of a batch and resends of a request").tag(Meters.ROUTE, route)
                .register(registry)).increment(times);
    }

    /**
     * The resent-frames counter of one syslog forwarder, read from its state. Registered once per route: a
     * restarted (reloaded) route reports through it, and Micrometer does not warn of a second registration.
     */
    public void syslogForwarder(String route, Supplier<Number> resentFrames) {
        current(Meters.SYSLOG_FRAMES_RESENT + '|' + route, resentFrames, holder -> FunctionCounter
                .builder(Meters.SYSLOG_FRAMES_RESENT, holder, h -> h.get().get().doubleValue())
                .description("Frames written again after a reconnect").tag(Meters.ROUTE, route).register(registry));
    }

    /** The meters of one syslog listener route (one set per route, shared by its handlers and its sink). */
    public ListenerMeters listener(String route) {
        return listeners.computeIfAbsent(route, r -> new ListenerMeters(registry, r));
    }

    /** The meters of the sink of one route (one set per route and sink, kept across restarts of the route). */
    public SinkMeters sink(String route, String sink) {
        return sinks.computeIfAbsent(route + '|' + sink, k -> new SinkMeters(registry, route, sink));
    }

    /** The tail of {@code route} cut {@code lines} overlong lines to maxLineLength (0 registers the counter). */
    public void linesTruncated(String route, long lines) {
        counters.computeIfAbsent(Meters.TAIL_LINES_TRUNCATED + '|' + route, k -> Counter
                .builder(Meters.TAIL_LINES_TRUNCATED)
                .description("Lines longer than maxLineLength cut to it (longLines=truncate); their rest is dropped")
                .tag(Meters.ROUTE, route).register(registry)).increment(lines);
    }

    /** Gauges of one route's tail: in-flight bytes and batches, followed files, lag. */
    public void tail(String route, Supplier<Number> inflightBytes, Supplier<Number> inflightBatches,
                     Supplier<Number> files, Supplier<Number> lagBytes) {
        gauge(Meters.TAIL_LAG_BYTES, route, lagBytes, "Bytes in followed files not yet confirmed by the sink");
        gauge(Meters.INFLIGHT_BYTES, route, inflightBytes, "Bytes read but not yet confirmed");
        gauge(Meters.INFLIGHT_BATCHES, route, inflightBatches, "Batches between the tail and their confirmation");
        gauge(Meters.TAIL_FILES, route, files, "Files the tail follows");
    }

    /** How the age of a route's oldest unconfirmed line is found (the tail's binder knows). */
    public void unconfirmedAges(ToDoubleFunction<String> secondsByRoute) {
        this.unconfirmedAges = secondsByRoute;
    }

    /**
     * A sink started on {@code route}: the age of the route's oldest unconfirmed line is reported under the
     * sink's name, which shows a stalled sink whatever it is. Sinks call this at start; once per route and sink.
     */
    public void sinkStarted(String route, String sink) {
        gauges.computeIfAbsent(Meters.SINK_OLDEST_UNCONFIRMED + '|' + route + '|' + sink, k -> Gauge
                .builder(Meters.SINK_OLDEST_UNCONFIRMED, () -> unconfirmedAges.applyAsDouble(route)).baseUnit("seconds")
                .description("Seconds the oldest line read but not confirmed has waited for its sink (0: none waits)")
                .tags(Meters.ROUTE, route, Meters.SINK, sink).strongReference(true).register(registry));
    }

    /**
     * The acknowledgement gauges of a route's HEC sink. They read {@code state} at each scrape, so a sink
     * started again (a restarted or reloaded route) reports through the gauges registered first.
     */
    public void hecAcks(String route, HecAckState state) {
        hecAcks.computeIfAbsent(route, r -> {
            AtomicReference<HecAckState> current = new AtomicReference<>();
            Gauge.builder(Meters.HEC_UNACKNOWLEDGED_REQUESTS, current,
                            c -> c.get() == null ? 0 : c.get().unacknowledged())
                    .description("HEC requests accepted whose indexer acknowledgement has not come yet")
                    .tag(Meters.ROUTE, r).register(registry);
            Gauge.builder(Meters.HEC_OLDEST_UNACKNOWLEDGED, current,
                            c -> c.get() == null ? 0 : c.get().oldestUnacknowledgedSeconds()).baseUnit("seconds")
                    .description("Seconds the oldest accepted HEC request has waited for its acknowledgement")
                    .tag(Meters.ROUTE, r).register(registry);
            return current;
        }).set(state);
    }

    /** What a HEC sink reports about acknowledgements. */
    public interface HecAckState {
        int unacknowledged();

        double oldestUnacknowledgedSeconds();
    }

    /** A gauge registered once per route and name, reading whatever supplier the route's latest start gave. */
    private void gauge(String name, String route, Supplier<Number> value, String description) {
        current(name + '|' + route, value, holder -> Gauge.builder(name, holder, h -> h.get().get().doubleValue())
                .description(description).tag(Meters.ROUTE, route).strongReference(true).register(registry));
    }

    /** Points the meter of {@code key} at {@code value}, registering the meter (with its holder) the first time. */
    private void current(String key, Supplier<Number> value,
                         Consumer<AtomicReference<Supplier<Number>>> register) {
        suppliers.computeIfAbsent(key, k -> {
            AtomicReference<Supplier<Number>> holder = new AtomicReference<>(value);
            register.accept(holder);
            return holder;
        }).set(value);
    }

    private Counter counter(String name, String route, String sink) {
        return counters.computeIfAbsent(name + '|' + route + '|' + sink, k -> Counter.builder(name)
                .tags(Meters.ROUTE, route, Meters.SINK, sink).register(registry));
    }

    private Timer timer(String route, String sink) {
        return timers.computeIfAbsent(route + '|' + sink, k -> Timer.builder(Meters.SEND_LATENCY)
                .description("From the batch reaching its sink to its confirmation")
                .tags(Meters.ROUTE, route, Meters.SINK, sink).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(Duration.ofSeconds(60))
                .register(registry));
    }

    private AtomicInteger up(String route, String sink) {
        return sinkUp.computeIfAbsent(route + '|' + sink, k -> {
            AtomicInteger state = new AtomicInteger(1);
            Gauge.builder(Meters.SINK_UP, state, AtomicInteger::get)
                    .description("1 while the route's last batch was delivered, 0 after a failure")
                    .tags(Meters.ROUTE, route, Meters.SINK, sink).register(registry);
            return state;
        });
    }
}
