package io.logferry.sink.kafka;

import io.logferry.batch.LogLine;
import io.logferry.deadletter.DeadLetter;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.Sink;
import org.apache.camel.CamelContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/** Keeps lines no Kafka request can carry in the dead-letter store, counted and logged, so the rest can go. */
final class OversizeLines {

    private static final Logger LOG = LoggerFactory.getLogger(OversizeLines.class);

    private final Sink sink;
    private final CamelContext context;

    OversizeLines(Sink sink, CamelContext context) {
        this.sink = sink;
        this.context = context;
    }

    /** Returns null when the lines are durably kept (they count as delivered), else why they could not be. */
    String keep(List<LogLine> lines, String reason) {
        DeadLetterStore store = context.getRegistry().lookupByNameAndType("deadLetters", DeadLetterStore.class);
        if (store == null) {
            return "no dead-letter store for " + lines.size() + " line(s) Kafka cannot take (" + reason + ")";
        }
        try {
            store.write(lines.stream().map(line -> new DeadLetter(sink.getRouteId(), "kafka", line, 1, reason))
                    .toList());
        } catch (RuntimeException e) {
            return "cannot dead-letter " + lines.size() + " line(s) Kafka cannot take: " + e.getMessage();
        }
        PipelineMetrics metrics = PipelineMetrics.of(context);
        if (metrics != null) {
            metrics.deadLettered(sink.getRouteId(), "kafka", lines.size());
        }
        LOG.warn("Route {}: {} line(s) kept in the dead-letter store {}: {}", sink.getRouteId(), lines.size(),
                store.file(), reason);
        return null;
    }
}
