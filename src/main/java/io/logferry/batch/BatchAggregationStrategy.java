package io.logferry.batch;

import org.apache.camel.AggregationStrategy;
import org.apache.camel.Exchange;

/**
 * Merges {@link LogBatch} bodies, including their confirmations, so the aggregated exchange carries every
 * commit it is responsible for. Updates the line and byte count headers after each merge, which the route's
 * completion predicate compares with its limits.
 */
public final class BatchAggregationStrategy implements AggregationStrategy {

    @Override
    public Exchange aggregate(Exchange oldExchange, Exchange newExchange) {
        LogBatch incoming = newExchange.getMessage().getBody(LogBatch.class);
        if (incoming == null) {
            throw new IllegalArgumentException("Only LogBatch bodies can be aggregated into batches, got "
                    + newExchange.getMessage().getBody());
        }
        if (oldExchange == null) {
            // Copy: the incoming exchange's body must not be the object later batches are merged into.
            LogBatch first = incoming.copy();
            newExchange.getMessage().setBody(first);
            setCounts(newExchange, first);
            return newExchange;
        }
        LogBatch merged = oldExchange.getMessage().getBody(LogBatch.class);
        merged.absorb(incoming);
        setCounts(oldExchange, merged);
        return oldExchange;
    }

    private static void setCounts(Exchange exchange, LogBatch batch) {
        exchange.getMessage().setHeader(BatchConstants.LINES, batch.size());
        exchange.getMessage().setHeader(BatchConstants.BYTES, batch.bytes());
    }
}
