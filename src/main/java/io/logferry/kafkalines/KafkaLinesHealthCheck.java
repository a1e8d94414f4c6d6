package io.logferry.kafkalines;

import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Readiness of a {@code kafka-lines:} reader, {@code consumer:kafka-lines-<route>}. The Kafka consumer does not
 * throw while the cluster is unreachable (it reconnects inside poll), so the reader thread reports what it sees:
 * DOWN once it has had no connection for longer than a reconnection takes, or while its polls fail (a refused
 * login, a missing right), with the reason; UP otherwise. A loader without partitions (more loaders than
 * partitions) is UP: it takes over when another leaves.
 */
final class KafkaLinesHealthCheck extends AbstractHealthCheck {

    /** Longer than a reconnection to a live broker takes, so one dropped connection does not flap readiness. */
    static final long DISCONNECTED_GRACE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final String servers;
    private final String topic;
    private volatile String failure;
    private volatile boolean connected;
    private volatile long disconnectedSinceNanos = System.nanoTime();
    private volatile int partitions;

    KafkaLinesHealthCheck(String routeId, String servers, String topic) {
        super("logferry", "consumer:kafka-lines-" + routeId);
        this.servers = servers;
        this.topic = topic;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    /** From the reader thread, after a poll that did not fail. */
    void polled(boolean connectedNow, int assignedPartitions) {
        failure = null;
        partitions = assignedPartitions;
        if (connectedNow) {
            connected = true;
        } else if (connected) {
            connected = false;
            disconnectedSinceNanos = System.nanoTime();
        }
    }

    /** From the reader thread: the poll threw; {@code reason} says what to fix. */
    void failed(String reason) {
        failure = reason;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("topic", topic);
        builder.detail("assigned.partitions", partitions);
        String reason = failure;
        long disconnected = System.nanoTime() - disconnectedSinceNanos;
        if (reason != null) {
            builder.message("Reading " + topic + " fails: " + reason).down();
        } else if (!connected && disconnected > DISCONNECTED_GRACE_NANOS) {
            builder.message("No connection to Kafka at " + servers + " for " + TimeUnit.NANOSECONDS.toSeconds(
                    disconnected) + " s: check bootstrapServers and that the cluster is up").down();
        } else {
            builder.up();
        }
    }
}
