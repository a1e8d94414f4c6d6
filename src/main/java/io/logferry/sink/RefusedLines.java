package io.logferry.sink;

import io.logferry.batch.LogLine;
import io.logferry.deadletter.DeadLetter;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.metrics.PipelineMetrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Keeps the lines a receiver refused for good (one bad event of a request, not the whole batch) in the
 * dead-letter store, counted and logged, so the sink can confirm them and deliver the rest. When the store cannot
 * take them, they are not confirmed: the batch is retried and nothing is lost.
 */
public final class RefusedLines {

    private static final Logger LOG = LoggerFactory.getLogger(RefusedLines.class);

    private final String sink;
    private final DeadLetterStore store;
    private final PipelineMetrics metrics;

    public RefusedLines(String sink, DeadLetterStore store, PipelineMetrics metrics) {
        this.sink = sink;
        this.store = store;
        this.metrics = metrics;
    }

    /**
     * Writes the lines at {@code indices} of the delivery as dead letters. Returns null when they are durably
     * kept (they count as delivered), else the retry that the request must settle with.
     */
    public SinkOutcome.Retry keep(BatchDelivery delivery, int[] indices, String endpoint, int attempts,
                                  String reason) {
        List<DeadLetter> letters = new ArrayList<>(indices.length);
        for (int i : indices) {
            LogLine line = delivery.lines().get(i);
            letters.add(new DeadLetter(delivery.routeId(), endpoint, line, attempts, reason));
        }
        try {
            store.write(letters);
        } catch (RuntimeException e) {
            return new SinkOutcome.Retry("cannot dead-letter " + indices.length + " refused line(s): "
                    + e.getMessage());
        }
        metrics.deadLettered(delivery.routeId(), sink, indices.length);
        LOG.warn("The {} sink of route {} refused {} line(s) for good ({}); kept in the dead-letter store {}", sink,
                delivery.routeId(), indices.length, reason, store.file());
        return null;
    }
}
