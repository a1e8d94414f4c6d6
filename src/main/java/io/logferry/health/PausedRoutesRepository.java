package io.logferry.health;

import org.apache.camel.CamelContext;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckRepository;

import java.util.stream.Stream;

/**
 * Takes the place of Camel's {@code routes} and {@code consumers} health check repositories (same ids) and
 * wraps each of their checks in a {@link RouteReadinessCheck}, so a route paused on purpose keeps logferry
 * ready. Installed before camel-main configures health: the registry keeps the first repository registered
 * under an id, and camel-main looks its repositories up by id before creating its own.
 */
public final class PausedRoutesRepository implements HealthCheckRepository {

    /** Camel's repositories whose checks follow route status. */
    private static final String[] ROUTE_REPOSITORIES = {"routes", "consumers"};

    private final HealthCheckRepository camelRepository;
    private final CamelContext context;

    private PausedRoutesRepository(HealthCheckRepository camelRepository, CamelContext context) {
        this.camelRepository = camelRepository;
        this.context = context;
    }

    /** Replaces Camel's route and consumer repositories in the context's health registry (if it has one). */
    public static void install(CamelContext context) {
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry == null) {
            return; // camel-health is not on the class path: no health endpoint to protect
        }
        for (String id : ROUTE_REPOSITORIES) {
            HealthCheckRepository camel = registry.getRepository(id)
                    .orElseGet(() -> (HealthCheckRepository) registry.resolveById(id));
            if (camel == null || camel instanceof PausedRoutesRepository) {
                continue;
            }
            registry.unregister(camel);
            registry.register(new PausedRoutesRepository(camel, context));
        }
    }

    @Override
    public String getId() {
        return camelRepository.getId();
    }

    @Override
    public boolean isEnabled() {
        return camelRepository.isEnabled();
    }

    @Override
    public void setEnabled(boolean enabled) {
        camelRepository.setEnabled(enabled);
    }

    /** A fresh wrapper per call keeps nothing of removed routes; Camel's checks keep the counters. */
    @Override
    public Stream<HealthCheck> stream() {
        return camelRepository.stream().map(this::wrap);
    }

    private RouteReadinessCheck wrap(HealthCheck camelCheck) {
        RouteReadinessCheck check = new RouteReadinessCheck(camelCheck);
        check.setCamelContext(context);
        check.setEnabled(camelCheck.isEnabled());
        return check;
    }
}
