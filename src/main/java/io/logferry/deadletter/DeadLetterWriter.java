package io.logferry.deadletter;

import io.logferry.batch.BatchConstants;
import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.redelivery.Failures;
import io.logferry.redelivery.RateLimitedLog;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The dead-letter channel's endpoint: keeps every line of a batch that failed for a reason that will not pass
 * (the data's fault) in the {@link DeadLetterStore}, with its route, sink, attempts and error. Once the write
 * committed, the channel marks the batch handled and its offsets move. When it cannot write, it throws, and the
 * batch stays failed (the error handling sets {@code deadLetterHandleNewException=false}): read again, not lost.
 */
public final class DeadLetterWriter implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterWriter.class);

    private final DeadLetterStore store;
    private final PipelineMetrics metrics;
    private final RateLimitedLog failures;

    public DeadLetterWriter(DeadLetterStore store, PipelineMetrics metrics, long logIntervalMillis) {
        this.store = store;
        this.metrics = metrics;
        this.failures = new RateLimitedLog(LOG, logIntervalMillis);
    }

    @Override
    public void process(Exchange exchange) {
        String route = Failures.route(exchange);
        String reason = Failures.reason(exchange);
        try {
            keep(exchange, route, reason);
        } catch (DeadLetterException e) {
            failures.warn(route, () -> "Route " + route + ": a batch refused for good (" + reason + ") could not be"
                    + " kept as dead letters, so it is read again: " + e.getMessage());
            throw e;
        }
    }

    private void keep(Exchange exchange, String route, String reason) {
        LogBatch batch = exchange.getProperty(BatchConstants.BATCH, LogBatch.class);
        int size = Failures.lines(exchange);
        if (batch == null || batch.size() != size) {
            // before the batching step, or a sink that gave its lines away: nothing whole to keep
            throw new DeadLetterException("its lines are not all at hand", null);
        }
        String sink = Failures.sink(exchange);
        String endpoint = exchange.getProperty(BatchConstants.SINK_ENDPOINT, sink, String.class);
        int attempts = 1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        List<DeadLetter> letters = new ArrayList<>(size);
        for (LogLine line : batch.lines()) {
            letters.add(new DeadLetter(route, endpoint, line, attempts, reason));
        }
        store.write(letters);
        metrics.deadLettered(route, sink, size);
        LOG.warn("Route {}: the {} sink refused {} line(s) for good ({}); kept as dead letters in {}. See them with"
                + " 'deadletters list', resend them with 'deadletters replay --route {}'.", route, sink, size, reason,
                store.file(), route);
    }
}
