package io.logferry.sink.syslog;

import io.logferry.sink.SinkHealth;
import org.apache.camel.health.HealthCheckResultBuilder;

/** Readiness of one syslog forwarder: DOWN while it has no connection to its receiver, with the reason. */
final class ForwarderHealthCheck implements SinkHealth {

    private final ForwarderState state;
    private final String receiver;

    ForwarderHealthCheck(String receiver, ForwarderState state) {
        this.receiver = receiver;
        this.state = state;
    }

    @Override
    public void check(HealthCheckResultBuilder builder) {
        builder.detail("receiver", receiver);
        builder.detail("since", state.since().toString());
        builder.detail("batches.unconfirmed", state.backlog());
        builder.detail("frames.resent", state.resentFrames());
        if (state.isConnected()) {
            builder.detail("confirmation", state.isAcking() ? "acks" : "resend window");
            builder.up();
        } else {
            builder.message("no connection to " + receiver + ": " + state.problem()).down();
        }
    }
}
