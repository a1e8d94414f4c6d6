package io.logferry.offset;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.Confirmation;
import io.logferry.batch.LogBatch;
import io.logferry.metrics.PipelineMetrics;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

import java.time.Duration;
import java.util.List;

/**
 * The route step that makes an exchange responsible for its batch's offsets. Place it first after the
 * Aggregator: when that aggregated exchange completes, its confirmations (file ranges, replayed dead letters)
 * are confirmed if it succeeded (or was handled by the dead-letter channel) and failed if it failed. Completions of the exchanges that were merged
 * into it commit nothing (DESIGN invariant 1). Being where every batch's outcome is known, whatever the sink,
 * it also records the delivery meters.
 */
public final class OffsetCommitter implements Processor {

    private final PipelineMetrics metrics;
    private final UnconfirmedBatches unconfirmed;

    public OffsetCommitter(PipelineMetrics metrics, UnconfirmedBatches unconfirmed) {
        this.metrics = metrics;
        this.unconfirmed = unconfirmed;
    }

    @Override
    public void process(Exchange exchange) {
        LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
        if (batch == null || batch.confirmations().isEmpty()) {
            return;
        }
        // Captured now: sinks may replace the body. The dead-letter channel finds the lines there.
        List<Confirmation> confirmations = List.copyOf(batch.confirmations());
        exchange.setProperty(BatchConstants.BATCH, batch);
        exchange.setProperty(BatchConstants.BATCH_SIZE, batch.size());
        String route = exchange.getFromRouteId() == null ? "unknown" : exchange.getFromRouteId();
        unconfirmed.sent(batch.size());
        exchange.getExchangeExtension().addOnCompletion(new CommitOnCompletion(confirmations, route, batch.size(),
                System.nanoTime()));
    }

    private final class CommitOnCompletion extends SynchronizationAdapter {
        private final List<Confirmation> confirmations;
        private final String route;
        private final int lines;
        private final long startNanos;

        CommitOnCompletion(List<Confirmation> confirmations, String route, int lines, long startNanos) {
            this.confirmations = confirmations;
            this.route = route;
            this.lines = lines;
            this.startNanos = startNanos;
        }

        @Override
        public void onDone(Exchange exchange) {
            boolean delivered = !exchange.isFailed();
            unconfirmed.done(lines, delivered);
            for (Confirmation confirmation : confirmations) {
                if (delivered) {
                    confirmation.delivered();
                } else {
                    confirmation.failed();
                }
            }
            // each sink names itself on the exchange (BatchConstants.SINK)
            String sink = exchange.getProperty(BatchConstants.SINK, "unknown", String.class);
            int redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            if (redeliveries > 0) {
                metrics.retried(route, redeliveries);
            }
            if (delivered) {
                metrics.delivered(route, sink, lines, Duration.ofNanos(System.nanoTime() - startNanos));
            } else {
                metrics.failed(route, sink, lines);
            }
        }
    }
}
