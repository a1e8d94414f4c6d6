package io.logferry.sink;

import io.logferry.metrics.PipelineMetrics;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.RouteIdAware;
import org.apache.camel.support.AsyncProcessorSupport;

/**
 * What every asynchronous sink bean of a route template shares: Camel hands it its context and the id of its
 * route (which names its threads, logs, meters and health check), and it finds logferry's meters and registers
 * its readiness check there.
 */
public abstract class RouteSinkSupport extends AsyncProcessorSupport implements CamelContextAware, RouteIdAware {

    private final String sinkName;
    private CamelContext camelContext;
    private String routeId;
    private HealthCheck healthCheck;

    /** @param sinkName the sink's name in meters and logs (hec, syslog); also the route id until Camel sets it */
    protected RouteSinkSupport(String sinkName) {
        this.sinkName = sinkName;
        this.routeId = sinkName;
    }

    /** The sink's name in meters and logs. */
    protected final String sinkName() {
        return sinkName;
    }

    @Override
    public void setRouteId(String routeId) {
        this.routeId = routeId;
    }

    @Override
    public String getRouteId() {
        return routeId;
    }

    @Override
    public CamelContext getCamelContext() {
        return camelContext;
    }

    @Override
    public void setCamelContext(CamelContext camelContext) {
        this.camelContext = camelContext;
    }

    /** logferry's meters, or null in a context without them (a bare test context). */
    protected PipelineMetrics metrics() {
        return PipelineMetrics.of(camelContext);
    }

    /**
     * Registers the sink's readiness check ({@link #unregisterHealthCheck} removes it on stop) and the meter of
     * its route's oldest unconfirmed line. Every sink calls it at start.
     */
    protected void registerHealthCheck(HealthCheck check) {
        PipelineMetrics metrics = metrics();
        if (metrics != null) {
            metrics.sinkStarted(routeId, sinkName);
        }
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null) {
            registry.register(check);
            healthCheck = check;
        }
    }

    protected void unregisterHealthCheck() {
        HealthCheckRegistry registry = HealthCheckRegistry.get(camelContext);
        if (registry != null && healthCheck != null) {
            registry.unregister(healthCheck);
            healthCheck = null;
        }
    }
}
