package io.logferry.sink.hec;

import io.logferry.batch.LogLine;
import io.logferry.sink.SinkOutcome;
import io.logferry.sink.SinkResult;
import org.apache.camel.Exchange;

import java.util.BitSet;
import java.util.List;

/**
 * The delivery of one aggregated exchange's lines, split into requests. It settles the sink's result when every
 * request is settled: delivered when each line was confirmed (stored, acked, or durably dead-lettered), with the
 * first failure otherwise. Confirmed lines are remembered on the exchange, so a redelivery
 * sends only what is still unconfirmed. Thread-safe.
 */
final class Delivery {

    /** Exchange property: the {@link BitSet} of the batch's lines already confirmed by earlier attempts. */
    static final String CONFIRMED = "CamelLogferryHecConfirmed";

    private final Exchange exchange;
    private final SinkResult result;
    private final List<LogLine> lines;
    private final BitSet confirmed;
    /** Requests not yet settled, plus one while requests are still being submitted. */
    private int outstanding = 1;
    private SinkOutcome.Final failure;

    Delivery(Exchange exchange, SinkResult result, List<LogLine> lines) {
        this.exchange = exchange;
        this.result = result;
        this.lines = lines;
        BitSet earlier = exchange.getProperty(CONFIRMED, BitSet.class);
        this.confirmed = earlier != null ? earlier : new BitSet(lines.size());
        exchange.setProperty(CONFIRMED, confirmed);
    }

    List<LogLine> lines() {
        return lines;
    }

    String routeId() {
        return exchange.getFromRouteId();
    }

    /** Indices of the lines no earlier attempt confirmed. */
    synchronized int[] unconfirmed() {
        return java.util.stream.IntStream.range(0, lines.size()).filter(i -> !confirmed.get(i)).toArray();
    }

    synchronized void expect(int requests) {
        outstanding += requests;
    }

    /** Every request is submitted: the delivery may now complete. */
    void submitted() {
        settle();
    }

    void confirmed(HecRequest request) {
        markConfirmed(request.lines);
        settle();
    }

    /** Lines that need no more delivery (dead-lettered) though their request is not settled yet. */
    synchronized void markConfirmed(int[] lines) {
        for (int line : lines) {
            confirmed.set(line);
        }
    }

    /**
     * The request was replaced by {@code more} + 1 new requests (split, or resent without a bad event): the first
     * takes its place, so only {@code more} are added. Nothing is settled: the delivery completes when the
     * replacements are.
     */
    synchronized void replaced(int more) {
        outstanding += more;
    }

    void failed(SinkOutcome.Final cause) {
        synchronized (this) {
            if (failure == null) {
                failure = cause;
            }
        }
        settle();
    }

    private void settle() {
        SinkOutcome.Final outcome;
        synchronized (this) {
            if (--outstanding > 0) {
                return;
            }
            outcome = failure;
        }
        result.done(outcome != null ? outcome : new SinkOutcome.Delivered());
    }
}
