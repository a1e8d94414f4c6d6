package io.logferry.sink.hec;

import io.logferry.batch.LogBatch;
import io.logferry.deadletter.DeadLetterStore;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.BatchDelivery;
import io.logferry.sink.Sink;
import io.logferry.sink.SinkHealth;
import io.logferry.sink.SinkOutcome;
import io.logferry.sink.SinkResult;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Delivers each {@link LogBatch} to a Splunk HTTP Event Collector. Asynchronous: the exchange completes
 * (and its offsets commit) only when every line is confirmed: HEC answered success and, with indexer
 * acknowledgement on, the ack came back true; or the line was refused for good and durably dead-lettered.
 * The calling thread returns as soon as the batch's requests are queued, so the next batch is sent while
 * earlier acks are pending; it waits only when {@code maxPendingRequests} is reached. Options are set on
 * {@link #getConfiguration()} ({@code configuration.url} and so on in the route template).
 */
public final class HecDeliveryProcessor extends Sink {

    private static final Logger LOG = LoggerFactory.getLogger(HecDeliveryProcessor.class);
    /** The read-ahead that let acks reach 160-170 k lines/s against a collector acking within 250 ms (bench/). */
    static final long ACK_INFLIGHT_BYTES = 32L << 20;

    private final HecConfiguration configuration = new HecConfiguration();
    private HecSinkState state;
    private HecSender sender;
    private HecPayloadEncoder encoder;

    public HecDeliveryProcessor() {
        super("hec");
    }

    public HecConfiguration getConfiguration() {
        return configuration;
    }

    @Override
    protected SinkHealth startSink() {
        configuration.validate();
        String name = getRouteId();
        DeadLetterStore deadLetters = getCamelContext().getRegistry().lookupByNameAndType("deadLetters",
                DeadLetterStore.class);
        if (deadLetters == null) {
            throw new IllegalStateException("The HEC sink needs the dead-letter store bean 'deadLetters'");
        }
        state = new HecSinkState(name);
        encoder = new HecPayloadEncoder(configuration, new MetadataRules(new HecMetadata(configuration.index(),
                configuration.sourcetype(), configuration.source(), configuration.host()), configuration.overrides()),
                this::linesReplaced);
        PipelineMetrics metrics = metrics();
        sender = new HecSender(configuration, encoder, deadLetters, state,
                metrics != null ? metrics : new PipelineMetrics(new SimpleMeterRegistry()), this::circuitOpen);
        sender.start(name);
        if (metrics != null) {
            metrics.hecAcks(name, sender);
        }
        warnIfTooLittleInFlightForAcks(name);
        return new HecHealthCheck(state, sender);
    }

    /** With acks, lines stay in flight for the ack latency: a small read-ahead caps throughput hard. */
    private void warnIfTooLittleInFlightForAcks(String name) {
        long bytes = configuration.inflightBytes();
        if (configuration.ack() && bytes > 0 && bytes < ACK_INFLIGHT_BYTES) {
            LOG.warn("HEC sink {}: ack=true with maxInflightBytes={}: lines count as in flight until Splunk"
                    + " acknowledges them, so at 1 s of ack latency at most {} MB/s get through. Set"
                    + " maxInflightBytes to {} or more (and the heap to match) for full speed with acks.",
                    name, bytes, bytes / 1_000_000, ACK_INFLIGHT_BYTES);
        }
    }

    @Override
    protected void stopSink() {
        if (sender != null) {
            sender.stop();
        }
    }

    @Override
    protected String endpoint() {
        return "hec:" + configuration.urls().get(0) + configuration.endpoint().path();
    }

    /** The collector's own health endpoint answers 200. */
    @Override
    protected boolean probe() {
        return sender.probeHealth() == null;
    }

    @Override
    protected void send(Exchange exchange, LogBatch batch, SinkResult result) {
        BatchDelivery delivery = new BatchDelivery(exchange, result, batch.lines());
        try {
            List<HecRequest> requests = encoder.encode(delivery, delivery.unconfirmed());
            delivery.expect(requests.size());
            for (HecRequest request : requests) {
                sender.submit(request);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            delivery.failed(new SinkOutcome.Retry("interrupted while queueing requests"));
            return;
        }
        delivery.submitted();
    }

    /** Counters and current problem, for tests and management. */
    HecSinkState state() {
        return state;
    }

    @Override
    public String toString() {
        return "HecDeliveryProcessor[" + configuration + "]";
    }
}
