package io.logferry.deadletter;

import org.apache.camel.CamelContext;
import org.apache.camel.StartupListener;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/**
 * Readiness of the dead-letter store: DOWN while it is full and refused lines wait for room
 * ({@code logferry.deadletters.when-full=wait}), because the routes that refused them make no progress.
 */
public final class DeadLetterHealthCheck extends AbstractHealthCheck {

    private final DeadLetterStore store;

    DeadLetterHealthCheck(DeadLetterStore store) {
        super("logferry", "deadletters");
        this.store = store;
    }

    /** Registers the check once the context started (its health registry exists from then on). */
    public static void register(CamelContext context, DeadLetterStore store) throws Exception {
        context.addStartupListener(new StartupListener() {
            @Override
            public void onCamelContextStarted(CamelContext started, boolean alreadyStarted) {
                HealthCheckRegistry registry = HealthCheckRegistry.get(started);
                if (registry != null && registry.getCheck("deadletters").isEmpty()) {
                    registry.register(new DeadLetterHealthCheck(store));
                }
            }
        });
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("file", store.getFile());
        if (store.isFull()) {
            builder.message("The dead-letter store is full: refused lines wait for room (see the log)").down();
        } else {
            builder.up();
        }
    }
}
