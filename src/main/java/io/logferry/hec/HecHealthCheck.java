package io.logferry.hec;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness of one HEC sink: DOWN while requests the collector accepted have waited longer than
 * {@code ackTimeout} for their acknowledgement, while deliveries fail (a bad token, an unreachable or busy
 * collector) or while the collector's own {@code /services/collector/health} says it is unhealthy. A sink
 * that is idle or waiting for acks within their timeout is UP.
 */
final class HecHealthCheck extends AbstractHealthCheck {

    private final HecSinkState state;
    private final HecSender sender;

    HecHealthCheck(String name, HecSinkState state, HecSender sender) {
        super("logferry", "sink:hec-" + name);
        this.state = state;
        this.sender = sender;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
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
