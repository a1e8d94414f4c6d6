package io.logferry.sink;

import io.logferry.metrics.SinkMeters;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.time.Duration;
import java.util.Map;

/**
 * The readiness check of one sink, {@code sink:<sink>-<route>}: the sink's own {@link SinkHealth}, timed into
 * its meters, and DOWN while its circuit is open whatever the sink says. It remembers whether its last run was
 * UP for the health gauge, so a metrics scrape never runs the check (HEC's asks the collector over the network).
 */
final class SinkHealthCheck extends AbstractHealthCheck {

    private final SinkHealth health;
    private final CircuitBreakerGate gate;
    private final SinkMeters meters;
    private volatile boolean up = true;

    SinkHealthCheck(String name, SinkHealth health, CircuitBreakerGate gate, SinkMeters meters) {
        super("logferry", "sink:" + name);
        this.health = health;
        this.gate = gate;
        this.meters = meters;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** Whether the last run was UP (true before the first). */
    boolean lastUp() {
        return up;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        long start = System.nanoTime();
        try {
            health.check(builder);
        } finally {
            meters.healthChecked(Duration.ofNanos(System.nanoTime() - start));
        }
        builder.detail("circuit", gate.describe());
        if (gate.isOpen()) {
            builder.down().message(gate.describe());
        }
        up = builder.state() == HealthCheck.State.UP;
    }
}
