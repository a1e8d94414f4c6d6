package io.logferry.sink.hec;

import com.fasterxml.jackson.databind.JsonNode;
import io.logferry.redelivery.RateLimitedLog;
import io.logferry.sink.SinkOutcome;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InterruptedIOException;
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
 * every {@code ackPollInterval}, and decides when an ack can no longer come (DESIGN invariant 10):
 * <ul>
 * <li>the collector gave the channel an ack id it had given before (it restarted and forgot the channel), or
 * a connection of the session broke while acks were pending there (a restarted collector answers false for
 * ids it forgot, and a request whose answer was lost may hold an id of the new incarnation): every request
 * awaiting an ack on that session is sent again on a new one;</li>
 * <li>no ack within the request's deadline: sent again, each resend waiting twice as long as the one before;
 * after {@code maxAckResends} the request stays pending, still polled, and is reported instead of resent.</li>
 * </ul>
 * Sending goes on while acks are pending, within the sender's pending-request bound.
 */
final class AckPoller {

    private static final Logger LOG = LoggerFactory.getLogger(AckPoller.class);
    private static final ThreadLocal<Boolean> SINK_THREAD = ThreadLocal.withInitial(() -> false);
    private static final long MAX_WAIT_MILLIS = TimeUnit.HOURS.toMillis(1);

    private final HecConfiguration config;
    private final HecSender sender;
    private final Set<HecSession> sessions = ConcurrentHashMap.newKeySet();
    private final UnacknowledgedRequests unconfirmed = new UnacknowledgedRequests();
    private final RateLimitedLog stuckLog;
    private ScheduledExecutorService poller;
    private String name = "hec";

    AckPoller(HecConfiguration config, HecSender sender) {
        this.config = config;
        this.sender = sender;
        this.stuckLog = new RateLimitedLog(LOG, Math.max(config.ackTimeout(), 10_000));
    }

    /** Lane and poller threads never wait for permits: only they return them. */
    static void markSinkThread() {
        SINK_THREAD.set(true);
    }

    static boolean isSinkThread() {
        return SINK_THREAD.get();
    }

    void start(String name) {
        this.name = name;
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
                request.delivery.failed(new SinkOutcome.Retry("the HEC sink stopped before ack " +
                        "of " + request + " arrived"));
            }
            session.pendingAcks.clear();
            session.close();
        }
        sessions.clear();
        unconfirmed.clear();
    }

    void track(HecSession session) {
        sessions.add(session);
    }

    /**
     * The collector accepted {@code request} with {@code ackId} on {@code session}. Call under the session's
     * lock, so no ack poll runs between the response and this record.
     */
    void await(HecSession session, long ackId, HecRequest request) {
        long now = System.nanoTime();
        unconfirmed.accepted(request, now);
        long highest = session.highestAckId();
        if (!session.issued(ackId)) {
            forget(session, "it gave ack id " + ackId + " after " + highest + " on the same channel (a restart?)");
            sender.resend(request);
            return;
        }
        request.ackDeadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(waitBeforeResend(request.ackResends));
        session.pendingAcks.put(ackId, request);
    }

    /** A send or an ack poll on {@code session} broke. Call under the session's lock. */
    void connectionLost(HecSession session, Exception cause) {
        if (!session.pendingAcks.isEmpty()) {
            forget(session, "a request on it failed (" + cause + ") while acks were pending");
        }
    }

    /** The request left the sink (confirmed, failed, dead-lettered or replaced). */
    void settled(HecRequest request) {
        unconfirmed.settled(request);
    }

    /** Requests the collector accepted and has not acknowledged, wherever they are now. */
    UnacknowledgedRequests unacknowledged() {
        return unconfirmed;
    }

    /** The wait for an ack before resend number {@code resends} + 1: ackTimeout doubled per resend, at most 1 h. */
    long waitBeforeResend(int resends) {
        return Math.min(config.ackTimeout() << Math.min(resends, 20), Math.max(MAX_WAIT_MILLIS, config.ackTimeout()));
    }

    /** Every request awaiting an ack on {@code session} is sent again on a new session. */
    private void forget(HecSession session, String why) {
        session.retire();
        List<HecRequest> lost = new ArrayList<>();
        for (Map.Entry<Long, HecRequest> entry : session.pendingAcks.entrySet()) {
            if (session.pendingAcks.remove(entry.getKey(), entry.getValue())) {
                lost.add(entry.getValue());
            }
        }
        if (!lost.isEmpty()) {
            LOG.warn("HEC sink {}: acknowledgements on {} can no longer be trusted: {}. Sending its {} unacknowledged"
                    + " request(s) again on a new channel (the collector may index some of them twice)", name, session,
                    why, lost.size());
        }
        lost.forEach(sender::resend);
    }

    private void pollAll() {
        for (HecSession session : sessions) {
            try {
                poll(session);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                LOG.warn("Polling acks on {} failed: {}", session, e.toString());
            }
        }
    }

    private void poll(HecSession session) throws InterruptedException {
        Map<Long, HecRequest> pending = session.pendingAcks;
        if (pending.isEmpty()) {
            if (session.retired()) {
                sessions.remove(session);
                session.close();
            }
            return;
        }
        if (!session.tryLock(config.ackPollInterval())) {
            return; // its lane is in a slow request: poll it next round
        }
        try {
            List<Long> ids = new ArrayList<>(pending.keySet());
            HecSession.Response response = session.pollAcks(ids);
            if (response.status() == 200) {
                confirmAcked(pending, HecResponses.acks(response.body()));
            } else {
                LOG.warn("Ack poll on {} answered HTTP {}: {}", session, response.status(), response.body());
            }
        } catch (InterruptedIOException e) {
            LOG.debug("Ack poll on {} timed out: {}", session, e.toString()); // slow, not gone: ask again
        } catch (IOException e) {
            // the connection broke (refused, reset): the collector may have restarted and forgotten the channel
            connectionLost(session, e);
        } finally {
            session.unlock();
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
            if (now - request.ackDeadlineNanos <= 0) {
                continue;
            }
            if (request.ackResends >= config.maxAckResends()) {
                // resending blindly has not helped: keep waiting for this ack, and say so
                request.ackDeadlineNanos = now + TimeUnit.MILLISECONDS.toNanos(waitBeforeResend(request.ackResends));
                stuckLog.warn(name, () -> "HEC sink " + name + ": " + request + " has had no indexer acknowledgement"
                        + " for " + TimeUnit.NANOSECONDS.toSeconds(now - request.firstAcceptedNanos) + " s after "
                        + request.ackResends + " resend(s) to " + request.sentTo + "; it is not sent again (maxAckResends)"
                        + " and its lines wait unconfirmed: check the indexers' health and the token's acknowledgement");
                continue;
            }
            if (pending.remove(entry.getKey(), request)) {
                request.ackResends++;
                long waited = waitBeforeResend(request.ackResends - 1);
                stuckLog.warn(name + "/resend", () -> "HEC sink " + name + ": no indexer acknowledgement for ack id "
                        + entry.getKey() + " on " + session + " within " + waited + " ms: sending " + request + " again");
                // The session may be stuck on a dead indexer: the next requests go through a new one.
                session.retire();
                sender.resend(request);
            }
        }
    }
}
