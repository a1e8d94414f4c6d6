package io.logferry.sink.hec;

import io.logferry.deadletter.DeadLetterStore;
import io.logferry.metrics.PipelineMetrics;
import io.logferry.sink.BatchDelivery;
import io.logferry.sink.RefusedLines;
import io.logferry.sink.SinkOutcome;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.IntStream;

/**
 * Sends requests on {@code concurrency} lanes, each a thread with its own session, and acts on each outcome:
 * confirm, hand to the ack poller, dead-letter a rejected event and resend the rest, split what is too large,
 * or fail the delivery so the route's redelivery policy retries it. Pending requests are bounded by permits
 * taken before a request is queued and returned when it settles.
 */
final class HecSender implements PipelineMetrics.HecAckState {

    private static final Logger LOG = LoggerFactory.getLogger(HecSender.class);

    private final HecConfiguration config;
    private final HecPayloadEncoder encoder;
    private final RefusedLines refused;
    private final BooleanSupplier circuitOpen;
    private final HecSinkState state;
    private final PipelineMetrics metrics;
    private final TlsSocketStrategy tls;
    private final LinkedBlockingQueue<HecRequest> queue = new LinkedBlockingQueue<>();
    private final Semaphore permits;
    private final AtomicInteger nextUrl = new AtomicInteger();
    private final AckPoller acks;
    private final List<Thread> lanes = new ArrayList<>();
    private volatile boolean running;
    private volatile boolean warnedNoAckId;

    private String name = "hec";

    HecSender(HecConfiguration config, HecPayloadEncoder encoder, DeadLetterStore deadLetters, HecSinkState state,
              PipelineMetrics metrics, BooleanSupplier circuitOpen) {
        this.circuitOpen = circuitOpen;
        this.config = config;
        this.encoder = encoder;
        this.refused = new RefusedLines("hec", deadLetters, metrics);
        this.state = state;
        this.metrics = metrics;
        this.tls = HecTls.strategy(config);
        this.permits = new Semaphore(config.maxPendingRequests());
        this.acks = new AckPoller(config, this);
    }

    void start(String name) {
        this.name = name;
        running = true;
        for (int i = 0; i < config.concurrency(); i++) {
            Thread lane = new Thread(this::runLane, "logferry-hec-" + name + "-" + i);
            lane.setDaemon(true);
            lanes.add(lane);
            lane.start();
        }
        acks.start(name);
    }

    /** Stops sending; requests still queued or awaiting acks fail their deliveries (offsets stay). */
    void stop() {
        running = false;
        lanes.forEach(Thread::interrupt);
        acks.stop();
        HecRequest left;
        while ((left = queue.poll()) != null) {
            settleFailed(left, new SinkOutcome.Retry("the HEC sink stopped before the request was sent"));
        }
    }

    /** Queues a new request, waiting while the pending-request bound is reached. */
    void submit(HecRequest request) throws InterruptedException {
        if (!AckPoller.isSinkThread()) {
            permits.acquire();
            request.holdsPermit = true;
        }
        queue.put(request);
    }

    /** Asks the first collector's health endpoint; null when healthy, else what is wrong. */
    String probeHealth() {
        try (HecSession probe = new HecSession(config.urls().get(0), config, tls)) {
            HecSession.Response response = probe.health();
            return response.status() == 200 ? null
                    : "collector " + probe.baseUrl() + " health: HTTP " + response.status() + " " + response.body();
        } catch (IOException e) {
            return "collector health endpoint unreachable: " + e.getMessage();
        }
    }

    @Override
    public int unacknowledged() {
        return acks.unacknowledged().count();
    }

    @Override
    public double oldestUnacknowledgedSeconds() {
        return acks.unacknowledged().oldestSeconds();
    }

    /** Requests accepted but unacknowledged for longer than ackTimeout. */
    UnacknowledgedRequests.Overdue overdueAcks() {
        return acks.unacknowledged().overdue(config.ackTimeout());
    }

    HecSession newSession() {
        List<String> urls = config.urls();
        return new HecSession(urls.get(Math.floorMod(nextUrl.getAndIncrement(), urls.size())), config, tls);
    }

    private void runLane() {
        AckPoller.markSinkThread();
        HecSession session = null;
        while (running) {
            HecRequest request;
            try {
                request = queue.poll(100, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                break;
            }
            if (request == null) {
                continue;
            }
            if (circuitOpen.getAsBoolean()) {
                // queued before the circuit opened: the collector is down, so the request waits with its batch
                settleFailed(request, new SinkOutcome.Retry("the circuit opened before the request was sent"));
                continue;
            }
            if (session == null || session.retired()) {
                session = newSession();
                acks.track(session);
            }
            send(session, request);
            if (config.rotateSessionAfter() > 0 && session.requestsSent() >= config.rotateSessionAfter()) {
                session.retire();
            }
        }
    }

    private void send(HecSession session, HecRequest request) {
        request.attempts++;
        request.sentTo = session.baseUrl();
        state.requests.incrementAndGet();
        SinkOutcome outcome;
        session.lock();
        try {
            HecSession.Response response = session.send(config.endpoint(), request, config.gzip());
            outcome = HecResponses.classify(response.status(), response.body());
            if (outcome instanceof SinkOutcome.AwaitingAck ack && config.ack()) {
                acks.await(session, ack.ackId(), request);
                return;
            }
        } catch (IOException e) {
            // A broken connection may have lost the request's bytes or the response: open a new session.
            session.retire();
            if (!(e instanceof InterruptedIOException)) { // a timeout is a slow collector, not a forgetful one
                acks.connectionLost(session, e);
            }
            outcome = new SinkOutcome.Retry(session + ": " + e);
        } finally {
            session.unlock();
        }
        act(session, request, outcome);
    }

    private void act(HecSession session, HecRequest request, SinkOutcome outcome) {
        if (outcome instanceof SinkOutcome.Delivered) {
            if (config.ack() && !warnedNoAckId) {
                warnedNoAckId = true;
                LOG.warn("HEC sink has ack=true but {} answered without an ackId: indexer acknowledgement is off"
                        + " for this token, so lines count as delivered when HEC accepts them", session.baseUrl());
            }
            confirm(request);
        } else if (outcome instanceof SinkOutcome.AwaitingAck) {
            confirm(request); // acknowledgement is off: accepted is all there is
        } else if (outcome instanceof SinkOutcome.Retry retry) {
            state.failed(retry.reason(), false);
            settleFailed(request, retry);
        } else if (outcome instanceof SinkOutcome.Unauthorized refused) {
            state.failed(refused.reason(), true);
            settleFailed(request, refused);
        } else if (outcome instanceof SinkOutcome.RejectEvent reject) {
            rejectEvent(session, request, reject);
        } else if (outcome instanceof SinkOutcome.RejectAll reject) {
            deadLetter(session, request, request.lines, reject.reason());
        } else if (outcome instanceof SinkOutcome.TooLarge tooLarge) {
            split(session, request, tooLarge.reason());
        }
    }

    void confirm(HecRequest request) {
        state.delivered(request.events());
        releasePermit(request);
        request.delivery.confirmed(request.lines);
    }

    /** Sends the request again (its ack never came); it keeps its permit. */
    void resend(HecRequest request) {
        state.resends.incrementAndGet();
        metrics.retried(name);
        queue.add(request);
    }

    private void settleFailed(HecRequest request, SinkOutcome.Final cause) {
        releasePermit(request);
        request.delivery.failed(cause);
    }

    /**
     * The invalid event is dead-lettered and every other event of the request is sent again, those before it
     * too: a rejected request has no ack id, so nothing confirms that the collector kept its prefix (Splunk may
     * index it or not; DESIGN invariant 10). A kept prefix is indexed twice, which at-least-once allows.
     */
    private void rejectEvent(HecSession session, HecRequest request, SinkOutcome.RejectEvent reject) {
        int k = reject.index();
        if (k >= request.events()) {
            deadLetter(session, request, request.lines, reject.reason() + " (event number out of range)");
            return;
        }
        int bad = request.lines[k];
        if (!writeDeadLetters(session, request, new int[]{bad}, reject.reason())) {
            return;
        }
        request.delivery.markConfirmed(new int[]{bad});
        int[] rest = IntStream.of(request.lines).filter(line -> line != bad).toArray();
        replace(request, rest.length == 0 ? List.of() : encoder.encode(request.delivery, rest));
    }

    private void split(HecSession session, HecRequest request, String reason) {
        if (request.events() == 1) {
            deadLetter(session, request, request.lines, reason + " (a single event larger than the collector takes)");
            return;
        }
        int half = request.events() / 2;
        List<HecRequest> halves = new ArrayList<>();
        halves.addAll(encoder.encode(request.delivery, Arrays.copyOfRange(request.lines, 0, half)));
        halves.addAll(encoder.encode(request.delivery, Arrays.copyOfRange(request.lines, half, request.events())));
        LOG.debug("{} was too large ({}): sending it as {} requests", request, reason, halves.size());
        replace(request, halves);
    }

    /** The request's place is taken by new ones; the first inherits its permit. */
    private void replace(HecRequest request, List<HecRequest> replacements) {
        if (replacements.isEmpty()) {
            releasePermit(request);
            request.delivery.confirmed(request.lines);
            return;
        }
        acks.settled(request);
        replacements.get(0).holdsPermit = request.holdsPermit;
        request.holdsPermit = false;
        request.delivery.replaced(replacements.size() - 1);
        queue.addAll(replacements);
    }

    private void deadLetter(HecSession session, HecRequest request, int[] lines, String reason) {
        if (writeDeadLetters(session, request, lines, reason)) {
            confirmDeadLettered(request);
        }
    }

    private void confirmDeadLettered(HecRequest request) {
        releasePermit(request);
        request.delivery.confirmed(request.lines);
    }

    private boolean writeDeadLetters(HecSession session, HecRequest request, int[] lines, String reason) {
        String sink = "hec:" + session.baseUrl() + config.endpoint().path();
        SinkOutcome.Retry notKept = refused.keep(request.delivery, lines, sink, request.attempts, reason);
        if (notKept != null) {
            settleFailed(request, notKept);
            return false;
        }
        state.eventsDeadLettered.addAndGet(lines.length);
        return true;
    }

    /** The request leaves the sink: its permit is returned and it no longer awaits an ack. */
    private void releasePermit(HecRequest request) {
        acks.settled(request);
        if (request.holdsPermit) {
            request.holdsPermit = false;
            permits.release();
        }
    }
}
