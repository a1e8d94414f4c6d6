package io.logferry.health;

import io.logferry.tail.TailConsumer;
import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;

import java.util.stream.Stream;

/**
 * One {@link StallCheck} for every route that starts from {@code tail:}, found at each health call, so routes
 * added, reloaded or removed need no registration.
 */
public final class StallChecks implements HealthCheckRepository {

    private static final String ID = "logferry-stall";

    private final CamelContext context;
    private final long thresholdSeconds;
    private boolean enabled = true;

    private StallChecks(CamelContext context, long thresholdSeconds) {
        this.context = context;
        this.thresholdSeconds = thresholdSeconds;
    }

    /** Adds the stall checks to the context's health registry, which exists once the context started. */
    public static void install(CamelContext context, long thresholdSeconds) throws Exception {
        if (thresholdSeconds <= 0) {
            throw new IllegalArgumentException("logferry.stall.threshold must be a positive number of seconds, was "
                    + thresholdSeconds);
        }
        context.addStartupListener((started, alreadyStarted) -> {
            HealthCheckRegistry registry = HealthCheckRegistry.get(started);
            if (registry != null && registry.getRepository(ID).isEmpty()) {
                registry.register(new StallChecks(started, thresholdSeconds));
            }
        });
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public Stream<HealthCheck> stream() {
        return context.getRoutes().stream()
                .filter(route -> route.getConsumer() instanceof TailConsumer)
                .map(route -> {
                    StallCheck check = new StallCheck(route.getRouteId(), thresholdSeconds);
                    check.setCamelContext(context);
                    return check;
                });
    }
}
