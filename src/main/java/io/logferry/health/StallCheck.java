package io.logferry.health;

import io.logferry.tail.TailConsumer;
import org.apache.camel.Route;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness of one tail route's delivery, whatever its sink: DOWN while the oldest line read but not confirmed
 * has waited longer than the threshold (DESIGN invariant 11), so a sink that stops confirming without failing
 * (an ack that never comes, a receiver that stops reading) cannot stall silently. A route that is not running
 * has nothing unconfirmed and is judged by its route check.
 */
final class StallCheck extends AbstractHealthCheck {

    private final String routeId;
    private final long thresholdSeconds;

    StallCheck(String routeId, long thresholdSeconds) {
        super("logferry", "stall:" + routeId);
        this.routeId = routeId;
        this.thresholdSeconds = thresholdSeconds;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        Route route = getCamelContext() == null ? null : getCamelContext().getRoute(routeId);
        double waited = route != null && route.getConsumer() instanceof TailConsumer tail
                ? tail.getOldestUnconfirmedSeconds() : 0;
        builder.detail("oldest.unconfirmed.seconds", (long) waited);
        builder.detail("threshold.seconds", thresholdSeconds);
        if (waited > thresholdSeconds) {
            builder.down().message("The oldest unconfirmed line of route " + routeId + " has waited " + (long) waited
                    + " s for its sink (logferry.stall.threshold is " + thresholdSeconds + " s): the sink neither"
                    + " confirms nor fails; see its own check and the log");
            return;
        }
        builder.up();
    }
}
