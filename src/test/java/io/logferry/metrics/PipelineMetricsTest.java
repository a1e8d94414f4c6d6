package io.logferry.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** A route started again (a hot reload) reports through the meters its first start registered. */
class PipelineMetricsTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final PipelineMetrics metrics = new PipelineMetrics(registry);

    @Test
    void aRestartedRoutesTailGaugesReadItsNewSuppliers() {
        metrics.tail("r", () -> 1, () -> 1, () -> 1, () -> 1);
        metrics.tail("r", () -> 2, () -> 3, () -> 4, () -> 5);
        assertThat(registry.get(Meters.INFLIGHT_BYTES).tag(Meters.ROUTE, "r").gauge().value()).isEqualTo(2);
        assertThat(registry.get(Meters.TAIL_LAG_BYTES).tag(Meters.ROUTE, "r").gauge().value()).isEqualTo(5);
        assertThat(registry.find(Meters.TAIL_LAG_BYTES).gauges()).hasSize(1);
    }

    @Test
    void aRestartedForwardersResendCounterReadsItsNewState() {
        metrics.syslogForwarder("f", () -> 7);
        metrics.syslogForwarder("f", () -> 9);
        assertThat(registry.get(Meters.SYSLOG_FRAMES_RESENT).functionCounter().count()).isEqualTo(9);
    }
}
