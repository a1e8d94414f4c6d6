package io.logferry.health;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.ServiceStatus;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.apache.camel.spi.RouteError;

import java.util.Map;

/**
 * Camel's {@code route:ID} or {@code consumer:ID} check with one rule changed: a route that is not running
 * because someone stopped or suspended it (JMX, the route controller, a hot reload) is UP, not DOWN. Camel
 * 4.18's check is DOWN for every stopped route and UNKNOWN (so not ready) for a suspended one. A route whose
 * last start or resume failed is still DOWN, and a running route is judged by Camel's check unchanged.
 * Readiness then follows what can really stop delivery: a route that cannot start, or a sink's own check.
 */
final class RouteReadinessCheck extends AbstractHealthCheck {

    private final HealthCheck camelCheck;
    private final String routeId;

    RouteReadinessCheck(HealthCheck camelCheck) {
        super(camelCheck.getGroup(), camelCheck.getId());
        this.camelCheck = camelCheck;
        // Camel names these checks route:ID and consumer:ID
        this.routeId = camelCheck.getId().substring(camelCheck.getId().indexOf(':') + 1);
    }

    @Override
    public boolean isReadiness() {
        return camelCheck.isReadiness();
    }

    @Override
    public boolean isLiveness() {
        return camelCheck.isLiveness();
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        CamelContext context = getCamelContext();
        Route route = context == null ? null : context.getRoute(routeId);
        ServiceStatus status = route == null ? null : context.getRouteController().getRouteStatus(routeId);
        if (status != null && !status.isStarted() && !status.isStarting()) {
            judgeNotRunning(builder, route, status);
            return;
        }
        copy(camelCheck.call(options), builder);
    }

    private void judgeNotRunning(HealthCheckResultBuilder builder, Route route, ServiceStatus status) {
        builder.detail("route.id", routeId).detail("route.status", status.name());
        RouteError error = route.getLastError();
        if (error != null && (error.isUnhealthy() || error.getPhase() == RouteError.Phase.START
                || error.getPhase() == RouteError.Phase.RESUME)) {
            builder.down().message("Route " + routeId + " is " + status.name() + ": its "
                    + error.getPhase().name().toLowerCase() + " failed: " + describe(error.getException()));
            if (error.getException() != null) {
                builder.error(error.getException());
            }
            return;
        }
        builder.up().message("Route " + routeId + " is " + status.name()
                + " on purpose (an operator or a reload paused it); it does not make logferry unready");
    }

    private static void copy(Result result, HealthCheckResultBuilder builder) {
        builder.state(result.getState());
        result.getMessage().ifPresent(builder::message);
        result.getError().ifPresent(builder::error);
        builder.details(result.getDetails());
    }

    private static String describe(Throwable e) {
        return e == null ? "no exception recorded" : e.getMessage() != null ? e.getMessage() : e.toString();
    }
}
