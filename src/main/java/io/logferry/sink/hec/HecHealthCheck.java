package io.logferry.sink.hec;

import io.logferry.sink.SinkHealth;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness of one HEC sink: DOWN while requests the collector accepted have waited longer than
 * {@code ackTimeout} for their acknowledgement, while deliveries fail (a bad token, an unreachable or busy
 * collector) or while the collector's own {@code /services/collector/health} says it is unhealthy. A sink
 * that is idle or waiting for acks within their timeout is UP.
 */
final class HecHealthCheck implements SinkHealth {

    private final HecSinkState state;
    private final HecSender sender;

    HecHealthCheck(HecSinkState state, HecSender sender) {
        this.state = state;
        this.sender = sender;
    }

    @Override
    public void check(HealthCheckResultBuilder builder) {
        builder.detail("requests", state.requests.get());
        builder.detail("events.delivered", state.eventsDelivered.get());
        builder.detail("events.deadLettered", state.eventsDeadLettered.get());
        builder.detail("resends", state.resends.get());
        builder.detail("acks.pending", sender.unacknowledged());
        UnacknowledgedRequests.Overdue overdue = sender.overdueAcks();
        if (overdue.requests() > 0) {
            builder.message(overdue.describe()).down();
            return;
        }
        String problem = state.problem();
        if (problem != null) {
            builder.message(problem).down();
            return;
        }
        String collector = sender.probeHealth();
        if (collector != null) {
            builder.message(collector).down();
            return;
        }
        builder.up();
    }
}
