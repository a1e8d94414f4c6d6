package io.logferry.offset;

import io.logferry.batch.LogBatch;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.SynchronizationAdapter;

import java.util.List;

/**
 * The route step that makes an exchange responsible for its batch's offsets. Place it first after the
 * Aggregator: when that aggregated exchange completes, its ranges are confirmed if it succeeded (or was
 * handled by a dead-letter channel) and rewound if it failed. Completions of the exchanges that were merged
 * into it commit nothing (DESIGN invariant 1).
 */
public final class OffsetCommitter implements Processor {

    @Override
    public void process(Exchange exchange) {
        LogBatch batch = exchange.getMessage().getBody(LogBatch.class);
        if (batch == null || batch.ranges().isEmpty()) {
            return;
        }
        // Captured now: sinks may replace the body.
        List<PendingRange> ranges = List.copyOf(batch.ranges());
        exchange.getExchangeExtension().addOnCompletion(new CommitOnCompletion(ranges));
    }

    private static final class CommitOnCompletion extends SynchronizationAdapter {
        private final List<PendingRange> ranges;

        CommitOnCompletion(List<PendingRange> ranges) {
            this.ranges = ranges;
        }

        @Override
        public void onDone(Exchange exchange) {
            boolean delivered = !exchange.isFailed();
            for (PendingRange range : ranges) {
                if (delivered) {
                    range.delivered();
                } else {
                    range.failed();
                }
            }
        }
    }
}
