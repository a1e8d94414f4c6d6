package io.logferry.sink;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.metrics.PipelineMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * What {@link Sink} does for every sink, whatever it sends to: outcomes become the exchange's state the error
 * handling acts on, a sink that forgets its health does not start, a bug never moves offsets, a batch is settled
 * once, the circuit keeps batches away from a failing receiver, and every attempt is measured.
 */
class SinkContractTest {

    private final DefaultCamelContext context = new DefaultCamelContext();
    private final MeterRegistry registry = new SimpleMeterRegistry();

    @BeforeEach
    void startContext() {
        context.getRegistry().bind(PipelineMetrics.BEAN, new PipelineMetrics(registry));
        context.start();
    }

    @AfterEach
    void stopContext() {
        context.stop();
    }

    /** A sink whose answer to each batch a test decides. */
    private static final class ScriptedSink extends Sink {
        Function<LogBatch, SinkOutcome.Final> answer = b -> new SinkOutcome.Delivered();
        SinkHealth health = builder -> builder.up();
        boolean receiverAnswers = true;
        final AtomicInteger sends = new AtomicInteger();
        final AtomicInteger probes = new AtomicInteger();
        final List<SinkResult> held = new ArrayList<>();
        boolean holdResults;

        ScriptedSink() {
            super("scripted");
        }

        @Override
        protected SinkHealth startSink() {
            return health;
        }

        @Override
        protected void stopSink() {
        }

        @Override
        protected String endpoint() {
            return "scripted:here";
        }

        @Override
        protected boolean probe() {
            probes.incrementAndGet();
            return receiverAnswers;
        }

        @Override
        protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
            sends.incrementAndGet();
            if (holdResults) {
                held.add(result);
            } else {
                result.done(answer.apply(batch));
            }
        }
    }

    private ScriptedSink started(ScriptedSink sink) {
        sink.setCamelContext(context);
        sink.setRouteId("route-a");
        sink.start();
        return sink;
    }

    private Exchange send(ScriptedSink sink, AtomicInteger completions) {
        Exchange exchange = new DefaultExchange(context);
        exchange.getMessage().setBody(new LogBatch(List.of(new LogLine("h", "/p", "fp", 0, "a line")), List.of(), 7));
        sink.process(exchange, doneSync -> completions.incrementAndGet());
        return exchange;
    }

    private Exchange send(ScriptedSink sink) {
        return send(sink, new AtomicInteger());
    }

    @Test
    void eachFinalOutcomeBecomesTheExceptionTheErrorHandlingActsOn() {
        ScriptedSink sink = started(new ScriptedSink());
        Map<SinkOutcome.Final, Class<?>> expected = Map.of(
                new SinkOutcome.Retry("busy"), SinkRetryableException.class,
                new SinkOutcome.Unauthorized("bad key"), SinkAuthenticationException.class,
                new SinkOutcome.RejectAll("unparseable"), SinkRejectedException.class,
                new SinkOutcome.Stopped("shutting down"), SinkStoppedException.class);
        sink.getCircuit().setEnabled(false);
        expected.forEach((outcome, exceptionClass) -> {
            sink.answer = b -> outcome;
            Exchange exchange = send(sink);
            assertThat(exchange.getException()).isInstanceOf(exceptionClass);
            assertThat(exchange.getProperty("CamelLogferrySink")).isEqualTo("scripted");
            assertThat(exchange.getProperty("CamelLogferrySinkEndpoint")).isEqualTo("scripted:here");
        });
        sink.answer = b -> new SinkOutcome.Delivered();
        assertThat(send(sink).getException()).isNull();
    }

    @Test
    void aSinkWithoutHealthDoesNotStart() {
        ScriptedSink sink = new ScriptedSink();
        sink.health = null;
        sink.setCamelContext(context);
        sink.setRouteId("route-a");
        assertThatThrownBy(sink::start).hasMessageContaining("returned no health");
    }

    @Test
    void anExceptionEscapingTheSinkIsRetriedNeverDeadLettered() {
        ScriptedSink sink = started(new ScriptedSink());
        sink.answer = b -> {
            throw new IllegalStateException("a bug");
        };
        Exchange exchange = send(sink);
        assertThat(exchange.getException()).isInstanceOf(SinkRetryableException.class)
                .hasMessageContaining("a bug");
    }

    @Test
    void aBatchIsSettledOnceEvenIfTheSinkAnswersTwice() {
        ScriptedSink sink = started(new ScriptedSink());
        sink.holdResults = true;
        AtomicInteger completions = new AtomicInteger();
        Exchange exchange = send(sink, completions);
        assertThat(completions).hasValue(0);
        sink.held.get(0).done(new SinkOutcome.Delivered());
        sink.held.get(0).done(new SinkOutcome.Retry("late"));
        assertThat(completions).hasValue(1);
        assertThat(exchange.getException()).isNull();
    }

    @Test
    void theReadinessCheckIsTheSinksOwnAndDownWhileTheCircuitIsOpen() {
        ScriptedSink sink = new ScriptedSink();
        sink.getCircuit().setMinimumCalls(2);
        sink.getCircuit().setOpenFor(60_000);
        started(sink);
        assertThat(state()).isEqualTo(HealthCheck.State.UP);
        sink.answer = b -> new SinkOutcome.Retry("down");
        send(sink);
        send(sink);
        assertThat(state()).isEqualTo(HealthCheck.State.DOWN);
    }

    @Test
    void anOpenCircuitRefusesBatchesWithoutSendingThemAndProbesBeforeLettingOneThrough() {
        ScriptedSink sink = new ScriptedSink();
        sink.getCircuit().setMinimumCalls(3);
        sink.getCircuit().setOpenFor(100);
        started(sink);
        sink.answer = b -> new SinkOutcome.Retry("down");
        for (int i = 0; i < 3; i++) {
            send(sink);
        }
        assertThat(sink.sends).hasValue(3);
        Exchange refused = send(sink);
        assertThat(refused.getException()).isInstanceOf(SinkRetryableException.class)
                .hasMessageContaining("circuit open");
        assertThat(sink.sends).hasValue(3);

        sink.receiverAnswers = false;
        await().until(() -> {
            send(sink);
            return sink.probes.get() > 0;
        });
        assertThat(sink.sends).as("a receiver that does not answer its probe gets no batch").hasValue(3);

        sink.receiverAnswers = true;
        sink.answer = b -> new SinkOutcome.Delivered();
        await().until(() -> send(sink).getException() == null);
        assertThat(sink.sends).hasValue(4);
        assertThat(send(sink).getException()).as("closed again after the half-open batch").isNull();
    }

    @Test
    void everyAttemptIsMeasuredByOutcomeAndNothingStaysInFlight() {
        ScriptedSink sink = started(new ScriptedSink());
        send(sink);
        sink.answer = b -> new SinkOutcome.Retry("busy");
        send(sink);
        state(); // a health request runs the check; a scrape only reads its last result
        assertThat(registry.get("logferry.sink.send").tag("outcome", "delivered").timer().count()).isEqualTo(1);
        assertThat(registry.get("logferry.sink.send").tag("outcome", "retry").timer().count()).isEqualTo(1);
        assertThat(registry.get("logferry.sink.events").tag("outcome", "delivered").counter().count()).isEqualTo(1);
        assertThat(registry.get("logferry.sink.success.ratio").gauge().value()).isEqualTo(0.5);
        assertThat(registry.get("logferry.sink.inflight.lines").gauge().value()).isZero();
        assertThat(registry.get("logferry.sink.inflight.bytes").gauge().value()).isZero();
        assertThat(registry.get("logferry.sink.healthy").gauge().value()).isEqualTo(1);
        assertThat(registry.get("logferry.sink.circuit.state").gauge().value()).isZero();
        assertThat(registry.get("logferry.sink.health.check").timer().count()).isPositive();
        long checks = registry.get("logferry.sink.health.check").timer().count();
        registry.get("logferry.sink.healthy").gauge().value();
        assertThat(registry.get("logferry.sink.health.check").timer().count()).as("a scrape runs no check")
                .isEqualTo(checks);
    }

    private HealthCheck.State state() {
        return HealthCheckHelper.invoke(context, "sink:scripted-route-a", Map.of()).orElseThrow().getState();
    }
}
