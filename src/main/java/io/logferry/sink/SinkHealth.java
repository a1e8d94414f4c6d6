package io.logferry.sink;

import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * What a sink says about its own readiness: details about its receiver and backlog, and {@code up()} or
 * {@code down()} with a message that names what to fix. {@link Sink} registers it as the readiness check
 * {@code sink:<sink>-<route>}, times it and adds the circuit state. Called from any thread, often: keep it cheap.
 */
@FunctionalInterface
public interface SinkHealth {

    void check(HealthCheckResultBuilder builder);
}
