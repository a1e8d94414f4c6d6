package io.logferry.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The counters of one syslog listener route. Reasons are a closed set (framing reasons, handshake failure
 * kinds, limits), so the {@code reason} tag stays bounded; client names never become tags. Thread-safe.
 */
public final class ListenerMeters {

    private final MeterRegistry registry;
    private final String route;
    private final Counter accepted;
    private final Counter stored;
    private final Counter duplicates;
    private final Counter invalidOrigins;
    private final AtomicInteger active = new AtomicInteger();
    private final Map<String, Counter> refused = new ConcurrentHashMap<>();
    private final Map<String, Counter> rejected = new ConcurrentHashMap<>();
    private final Map<String, Counter> closed = new ConcurrentHashMap<>();
    private final Map<String, Counter> paused = new ConcurrentHashMap<>();

    ListenerMeters(MeterRegistry registry, String route) {
        this.registry = registry;
        this.route = route;
        this.accepted = Counter.builder(Meters.LISTENER_CONNECTIONS_ACCEPTED)
                .description("Connections accepted with a verified client certificate").tag(Meters.ROUTE, route)
                .register(registry);
        this.stored = Counter.builder(Meters.LISTENER_FRAMES_STORED).description("Frames stored")
                .tag(Meters.ROUTE, route).register(registry);
        Gauge.builder(Meters.LISTENER_CONNECTIONS_ACTIVE, active, AtomicInteger::get)
                .description("Connections open on the listener").tag(Meters.ROUTE, route).register(registry);
        this.duplicates = Counter.builder(Meters.LISTENER_FRAMES_DUPLICATE)
                .description("Frames dropped as repeats of stored ones").tag(Meters.ROUTE, route).register(registry);
        this.invalidOrigins = Counter.builder(Meters.LISTENER_ORIGINS_INVALID)
                .description("Frames whose origin offset does not fit a long; stored without deduplication")
                .tag(Meters.ROUTE, route).register(registry);
    }

    /** A meter set that records nothing anywhere but in its own registry, for listeners without a context. */
    public static ListenerMeters standalone(String route) {
        return new ListenerMeters(new SimpleMeterRegistry(), route);
    }

    public void accepted() {
        accepted.increment();
    }

    public void opened() {
        active.incrementAndGet();
    }

    public void closed() {
        active.decrementAndGet();
    }

    public int activeConnections() {
        return active.get();
    }

    public void refused(String reason) {
        refused.computeIfAbsent(reason, r -> Counter.builder(Meters.LISTENER_CONNECTIONS_REFUSED)
                .description("Connections refused before or at the handshake")
                .tags(Meters.ROUTE, route, Meters.REASON, r).register(registry)).increment();
    }

    public void rejected(String reason) {
        rejected.computeIfAbsent(reason, r -> Counter.builder(Meters.LISTENER_FRAMES_REJECTED)
                .description("Framing violations that closed a connection")
                .tags(Meters.ROUTE, route, Meters.REASON, r).register(registry)).increment();
    }

    /** The listener closed an accepted connection for {@code reason}. */
    public void closedBy(String reason) {
        closed.computeIfAbsent(reason, r -> Counter.builder(Meters.LISTENER_CONNECTIONS_CLOSED)
                .description("Accepted connections the listener closed")
                .tags(Meters.ROUTE, route, Meters.REASON, r).register(registry)).increment();
    }

    /** A connection stopped being read for {@code reason} (backlog, rate, quota); nothing it sent is dropped. */
    public void paused(String reason) {
        paused.computeIfAbsent(reason, r -> Counter.builder(Meters.LISTENER_READING_PAUSED)
                .description("Times a connection stopped being read (backpressure; nothing is dropped)")
                .tags(Meters.ROUTE, route, Meters.REASON, r).register(registry)).increment();
    }

    public double pausedCount(String reason) {
        Counter c = paused.get(reason);
        return c == null ? 0 : c.count();
    }

    public void stored(int frames) {
        stored.increment(frames);
    }

    public void duplicates(int frames) {
        duplicates.increment(frames);
    }

    public void invalidOrigins(int frames) {
        invalidOrigins.increment(frames);
    }

    public double invalidOriginCount() {
        return invalidOrigins.count();
    }

    public double refusedCount(String reason) {
        Counter c = refused.get(reason);
        return c == null ? 0 : c.count();
    }

    public double closedCount(String reason) {
        Counter c = closed.get(reason);
        return c == null ? 0 : c.count();
    }

    public double acceptedCount() {
        return accepted.count();
    }

    public double rejectedCount(String reason) {
        Counter c = rejected.get(reason);
        return c == null ? 0 : c.count();
    }
}
