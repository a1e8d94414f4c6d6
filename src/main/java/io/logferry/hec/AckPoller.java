package io.logferry.hec;

import com.fasterxml.jackson.databind.JsonNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Polls {@code /services/collector/ack} on each session that has requests awaiting indexer acknowledgement,
 * every {@code ackPollInterval}. An acked request is confirmed; one whose ack did not come within
 * {@code ackTimeout} is sent again (at-least-once: Splunk may still index the first copy). Sending goes on
 * while acks are pending, within the sender's pending-request bound. Retired sessions are closed when
 * nothing awaits them any more.
 */
final class AckPoller {

    private static final Logger LOG = LoggerFactory.getLogger(AckPoller.class);
    private static final ThreadLocal<Boolean> SINK_THREAD = ThreadLocal.withInitial(() -> false);

    private final HecConfiguration config;
    private final HecSender sender;
    private final Set<HecSession> sessions = ConcurrentHashMap.newKeySet();
    private ScheduledExecutorService poller;

    AckPoller(HecConfiguration config, HecSender sender) {
        this.config = config;
        this.sender = sender;
    }

    /** Lane and poller threads never wait for permits: only they return them. */
    static void markSinkThread() {
        SINK_THREAD.set(true);
    }

    static boolean isSinkThread() {
        return SINK_THREAD.get();
    }

    void start(String name) {
        poller = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(() -> {
                markSinkThread();
                r.run();
            }, "logferry-hec-acks-" + name);
            t.setDaemon(true);
            return t;
        });
        poller.scheduleWithFixedDelay(this::pollAll, config.ackPollInterval(), config.ackPollInterval(),
                TimeUnit.MILLISECONDS);
    }

    void stop() {
        if (poller != null) {
            poller.shutdownNow();
        }
        for (HecSession session : sessions) {
            for (HecRequest request : session.pendingAcks.values()) {
                request.delivery.failed(new HecRetryableException("the HEC sink stopped before ack " +
                        "of " + request + " arrived"));
            }
            session.pendingAcks.clear();
            session.close();
        }
        sessions.clear();
    }

    void track(HecSession session) {
        sessions.add(session);
    }

    void await(HecSession session, long ackId, HecRequest request) {
        request.ackDeadlineNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.ackTimeout());
        session.pendingAcks.put(ackId, request);
    }

    private void pollAll() {
        for (HecSession session : sessions) {
            try {
                poll(session);
            } catch (RuntimeException e) {
                LOG.warn("Polling acks on {} failed: {}", session, e.toString());
            }
        }
    }

    private void poll(HecSession session) {
        Map<Long, HecRequest> pending = session.pendingAcks;
        if (pending.isEmpty()) {
            if (session.retired()) {
                sessions.remove(session);
                session.close();
            }
            return;
        }
        List<Long> ids = new ArrayList<>(pending.keySet());
        try {
            HecSession.Response response = session.pollAcks(ids);
            if (response.status() == 200) {
                confirmAcked(pending, HecResponses.acks(response.body()));
            } else {
                LOG.warn("Ack poll on {} answered HTTP {}: {}", session, response.status(), response.body());
            }
        } catch (IOException e) {
            LOG.debug("Ack poll on {} failed: {}", session, e.toString());
        }
        resendExpired(session, pending);
    }

    private void confirmAcked(Map<Long, HecRequest> pending, JsonNode acks) {
        acks.fields().forEachRemaining(entry -> {
            if (entry.getValue().asBoolean(false)) {
                HecRequest request = pending.remove(Long.parseLong(entry.getKey()));
                if (request != null) {
                    sender.confirm(request);
                }
            }
        });
    }

    private void resendExpired(HecSession session, Map<Long, HecRequest> pending) {
        long now = System.nanoTime();
        for (Map.Entry<Long, HecRequest> entry : pending.entrySet()) {
            HecRequest request = entry.getValue();
            if (now - request.ackDeadlineNanos > 0 && pending.remove(entry.getKey(), request)) {
                LOG.warn("No indexer acknowledgement for ack id {} on {} within {} ms: sending {} again", entry.getKey(),
                        session, config.ackTimeout(), request);
                // The session may be stuck on a dead indexer: the next requests go through a new one.
                session.retire();
                sender.resend(request);
            }
        }
    }
}
