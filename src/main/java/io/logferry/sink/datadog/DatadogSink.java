package io.logferry.sink.datadog;

import io.logferry.batch.LogBatch;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.BatchDelivery;
import io.logferry.sink.RefusedLines;
import io.logferry.sink.Sink;
import io.logferry.sink.SinkHealth;
import io.logferry.sink.SinkResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;

import java.io.IOException;
import java.util.List;

/**
 * Delivers each {@link LogBatch} to Datadog Logs (HTTP intake, API v2). Asynchronous: the batch is settled when
 * every one of its requests is: delivered when the intake accepted every log (202) or a log it refused for good
 * was dead-lettered on its own; otherwise with the first failure, after which a redelivery sends only the logs
 * not yet accepted. At-least-once: Datadog does not deduplicate, so a crash between an accepted request and
 * the offset commit sends those logs again. Options are set on {@link #getConfiguration()}.
 */
public final class DatadogSink extends Sink {

    private final DatadogConfiguration configuration = new DatadogConfiguration();
    private DatadogSinkState state;
    private DatadogEncoder encoder;
    private DatadogSender sender;

    public DatadogSink() {
        super("datadog");
    }

    public DatadogConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    protected SinkHealth startSink() {
        configuration.validate();
        DeadLetterStore deadLetters = getCamelContext().getRegistry().lookupByNameAndType("deadLetters",
                DeadLetterStore.class);
        if (deadLetters == null) {
            throw new IllegalStateException("The Datadog sink needs the dead-letter store bean 'deadLetters'");
        }
        PipelineMetrics metrics = metrics();
        state = new DatadogSinkState();
        encoder = new DatadogEncoder(configuration, this::linesReplaced);
        sender = new DatadogSender(configuration, getRouteId(), encoder, new RefusedLines("datadog", deadLetters,
                metrics != null ? metrics : new PipelineMetrics(new SimpleMeterRegistry())), state, this::circuitOpen);
        return builder -> {
            builder.detail("intake", sender.endpoint());
            builder.detail("requests", state.requests.get());
            builder.detail("logs.delivered", state.logsDelivered.get());
            builder.detail("logs.deadLettered", state.logsDeadLettered.get());
            String problem = state.problem();
            if (problem == null) {
                builder.up();
            } else {
                builder.message("the last request to " + sender.endpoint() + " failed: " + problem).down();
            }
        };
    }

    @Override
    protected void stopSink() {
        if (sender != null) {
            try {
                sender.close();
            } catch (IOException e) {
                // closing pooled connections: nothing is lost, the lines are unconfirmed and read again
            }
        }
    }

    @Override
    protected String endpoint() {
        return "datadog:" + sender.endpoint();
    }

    @Override
    protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
        BatchDelivery delivery = new BatchDelivery(exchange, result, batch.lines());
        List<int[]> chunks = encoder.chunks(delivery, delivery.unconfirmed());
        delivery.expect(chunks.size());
        chunks.forEach(chunk -> sender.submit(delivery, chunk));
        delivery.submitted();
    }

    @Override
    public String toString() {
        return "DatadogSink[" + configuration + "]";
    }
}
