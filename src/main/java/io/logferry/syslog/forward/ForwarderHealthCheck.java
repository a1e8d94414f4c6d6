package io.logferry.syslog.forward;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;

/** Readiness of one syslog forwarder: DOWN while it has no connection to its receiver, with the reason. */
final class ForwarderHealthCheck extends AbstractHealthCheck {

    private final ForwarderState state;
    private final String receiver;

    ForwarderHealthCheck(String route, String receiver, ForwarderState state) {
        super("logferry", "sink:syslog-" + route);
        this.receiver = receiver;
        this.state = state;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
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
