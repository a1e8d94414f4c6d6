package io.logferry.sink.datadog;

import io.logferry.sink.BatchDelivery;
import io.logferry.sink.RefusedLines;
import io.logferry.sink.SinkOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Sends requests on {@code concurrency} threads and acts on each outcome: delivered lines are confirmed; a
 * request the intake refuses (400) is bisected until the refused log stands alone, which is dead-lettered, so a
 * good log is never dead-lettered with a bad one; a request too large (413) is split; a passing problem or a
 * refused key fails the request (the batch is redelivered with backoff, only its unconfirmed lines). After a
 * 429 with Retry-After, no request is sent before that time has passed.
 */
final class DatadogSender implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DatadogSender.class);
    /** The longest Retry-After honoured, so a bad header cannot hold the sink for hours. */
    private static final long MAX_RETRY_AFTER_SECONDS = 300;

    private final DatadogClient client;
    private final DatadogEncoder encoder;
    private final RefusedLines refused;
    private final DatadogSinkState state;
    private final ExecutorService lanes;
    private final BooleanSupplier circuitOpen;
    private volatile long notBeforeNanos = System.nanoTime();
    private volatile boolean stopped;

    DatadogSender(DatadogConfiguration config, String route, DatadogEncoder encoder, RefusedLines refused,
                  DatadogSinkState state, BooleanSupplier circuitOpen) {
        this.circuitOpen = circuitOpen;
        this.client = new DatadogClient(config);
        this.encoder = encoder;
        this.refused = refused;
        this.state = state;
        AtomicInteger n = new AtomicInteger();
        this.lanes = Executors.newFixedThreadPool(config.concurrency(), r -> {
            Thread t = new Thread(r, "logferry-datadog-" + route + "-" + n.getAndIncrement());
            t.setDaemon(true);
            return t;
        });
    }

    /** Encodes the lines at {@code chunk} of the delivery on a lane and sends them; the chunk counts as one request. */
    void submit(BatchDelivery delivery, int[] chunk) {
        execute(new Send(delivery, chunk, null));
    }

    private void submit(DatadogRequest request) {
        execute(new Send(request.delivery, request.lines, request));
    }

    private void execute(Send send) {
        try {
            lanes.execute(send);
        } catch (RejectedExecutionException e) {
            stopped(send.delivery);
        }
    }

    private static void stopped(BatchDelivery delivery) {
        delivery.failed(new SinkOutcome.Stopped("the Datadog sink stopped before the request was sent"));
    }

    /** Encodes a chunk (its requests take its one place in the delivery) and sends them in order. */
    private void encodeAndSend(BatchDelivery delivery, int[] chunk) {
        List<DatadogRequest> requests;
        try {
            requests = encoder.encode(delivery, chunk);
        } catch (RuntimeException e) {
            LOG.warn("Datadog sink: encoding {} line(s) failed (a bug, not the data's fault); retried", chunk.length,
                    e);
            delivery.failed(new SinkOutcome.Retry("encoding failed: " + e));
            return;
        }
        delivery.replaced(requests.size() - 1);
        requests.forEach(this::send);
    }

    private void send(DatadogRequest request) {
        if (stopped || !waitForRetryAfter()) {
            stopped(request.delivery);
            return;
        }
        if (circuitOpen.getAsBoolean()) {
            // queued before the circuit opened: the receiver is down, so it waits with its batch
            request.delivery.failed(new SinkOutcome.Retry("the circuit opened before the request was sent"));
            return;
        }
        request.attempts++;
        state.requests.incrementAndGet();
        DatadogClient.Response response;
        try {
            response = client.post(request);
        } catch (IOException e) {
            fail(request, new SinkOutcome.Retry(client.endpoint() + ": " + e));
            return;
        }
        act(request, response, DatadogResponses.classify(response.status(), response.body()));
    }

    private void act(DatadogRequest request, DatadogClient.Response response, SinkOutcome outcome) {
        if (outcome instanceof SinkOutcome.Delivered) {
            state.delivered(request.entries());
            request.delivery.confirmed(request.lines);
        } else if (outcome instanceof SinkOutcome.RejectAll reject) {
            isolate(request, reject.reason());
        } else if (outcome instanceof SinkOutcome.TooLarge tooLarge) {
            isolate(request, tooLarge.reason());
        } else if (outcome instanceof SinkOutcome.Unauthorized unauthorized) {
            fail(request, unauthorized);
        } else if (outcome instanceof SinkOutcome.Retry retry) {
            holdOff(response.retryAfterSeconds());
            fail(request, retry);
        }
    }

    /** Halves the request until the log at fault stands alone; that one is kept as a dead letter. */
    private void isolate(DatadogRequest request, String reason) {
        if (request.entries() == 1) {
            SinkOutcome.Retry notKept = refused.keep(request.delivery, request.lines, "datadog:" + client.endpoint(),
                    request.attempts, reason);
            if (notKept != null) {
                fail(request, notKept);
                return;
            }
            state.logsDeadLettered.incrementAndGet();
            request.delivery.confirmed(request.lines);
            return;
        }
        state.splits.incrementAndGet();
        int half = request.entries() / 2;
        List<DatadogRequest> halves = new ArrayList<>(encoder.encode(request.delivery,
                Arrays.copyOfRange(request.lines, 0, half)));
        halves.addAll(encoder.encode(request.delivery, Arrays.copyOfRange(request.lines, half, request.entries())));
        request.delivery.replaced(halves.size() - 1);
        halves.forEach(this::submit);
    }

    private void fail(DatadogRequest request, SinkOutcome.Final outcome) {
        state.failed(outcome.toString());
        request.delivery.failed(outcome);
    }

    private void holdOff(long retryAfterSeconds) {
        if (retryAfterSeconds > 0) {
            long seconds = Math.min(retryAfterSeconds, MAX_RETRY_AFTER_SECONDS);
            notBeforeNanos = Math.max(notBeforeNanos, System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds));
            LOG.info("Datadog asked to wait {} s (Retry-After) before the next request", seconds);
        }
    }

    /** Waits out a Retry-After; false if the sink stopped meanwhile. */
    private boolean waitForRetryAfter() {
        long wait;
        while ((wait = notBeforeNanos - System.nanoTime()) > 0) {
            if (stopped) {
                return false;
            }
            try {
                TimeUnit.NANOSECONDS.sleep(Math.min(wait, TimeUnit.MILLISECONDS.toNanos(100)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    String endpoint() {
        return client.endpoint();
    }

    @Override
    public void close() throws IOException {
        stopped = true;
        for (Runnable queued : lanes.shutdownNow()) {
            stopped(((Send) queued).delivery);
        }
        client.close();
    }

    /** A queued send of a chunk still to encode or of an encoded request, so a stop can settle it. */
    private final class Send implements Runnable {
        private final BatchDelivery delivery;
        private final int[] chunk;
        private final DatadogRequest request;

        Send(BatchDelivery delivery, int[] chunk, DatadogRequest request) {
            this.delivery = delivery;
            this.chunk = chunk;
            this.request = request;
        }

        @Override
        public void run() {
            if (request != null) {
                send(request);
            } else {
                encodeAndSend(delivery, chunk);
            }
        }
    }
}
