package io.logferry.sink;

import io.logferry.batch.LogLine;
import org.apache.camel.Exchange;

import java.util.BitSet;
import java.util.List;
import java.util.stream.IntStream;

/**
 * The delivery of one aggregated exchange's lines, split into requests, for sinks that send a batch as several
 * requests and settle it when the last one is (HEC, Datadog). It settles the sink's result when every
 * request is settled: delivered when each line was confirmed (stored, acked, or durably dead-lettered), with the
 * first failure otherwise. Confirmed lines are remembered on the exchange, so a redelivery
 * sends only what is still unconfirmed. Thread-safe.
 */
public final class BatchDelivery {

    /** Exchange property: the {@link BitSet} of the batch's lines already confirmed by earlier attempts. */
    static final String CONFIRMED = "CamelLogferrySinkConfirmed";

    private final Exchange exchange;
    private final SinkResult result;
    private final List<LogLine> lines;
    private final BitSet confirmed;
    /** Requests not yet settled, plus one while requests are still being submitted. */
    private int outstanding = 1;
    private SinkOutcome.Final failure;

    public BatchDelivery(Exchange exchange, SinkResult result, List<LogLine> lines) {
        this.exchange = exchange;
        this.result = result;
        this.lines = lines;
        BitSet earlier = exchange.getProperty(CONFIRMED, BitSet.class);
        this.confirmed = earlier != null ? earlier : new BitSet(lines.size());
        exchange.setProperty(CONFIRMED, confirmed);
    }

    public List<LogLine> lines() {
        return lines;
    }

    public String routeId() {
        return exchange.getFromRouteId();
    }

    /** Indices of the lines no earlier attempt confirmed. */
    public synchronized int[] unconfirmed() {
        return IntStream.range(0, lines.size()).filter(i -> !confirmed.get(i)).toArray();
    }

    public synchronized void expect(int requests) {
        outstanding += requests;
    }

    /** Every request is submitted: the delivery may now complete. */
    public void submitted() {
        settle();
    }

    /** The lines (indices into {@link #lines()}) of one request are confirmed; that request is settled. */
    public void confirmed(int[] lines) {
        markConfirmed(lines);
        settle();
    }

    /** Lines that need no more delivery (dead-lettered) though their request is not settled yet. */
    public synchronized void markConfirmed(int[] lines) {
        for (int line : lines) {
            confirmed.set(line);
        }
    }

    /**
     * The request was replaced by {@code more} + 1 new requests (split, or resent without a bad event): the first
     * takes its place, so only {@code more} are added. Nothing is settled: the delivery completes when the
     * replacements are.
     */
    public synchronized void replaced(int more) {
        outstanding += more;
    }

    public void failed(SinkOutcome.Final cause) {
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
