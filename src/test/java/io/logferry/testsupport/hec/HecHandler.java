package io.logferry.testsupport.hec;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * The HEC protocol over {@link HttpExchange}: routing, token and channel checks, scripted faults, body limits
 * and decoding, then indexing and the reply. A data request is checked in this order: token, channel,
 * scripted faults, size and encoding, then its events.
 */
final class HecHandler implements HttpHandler {

    private static final Pattern GUID =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String NOT_FOUND = "{\"text\":\"The requested URL was not found on this server.\",\"code\":404}";

    private final HecTokens tokens;
    private final boolean ack;
    private final long maxContentLength;
    private final HecFaults faults;
    private final IndexedEvents index;
    private final AckLedger acks = new AckLedger();
    private final HecTraffic traffic;
    /** Set when this incarnation of the server crashed: requests still being handled get no answer. */
    private volatile boolean crashed;

    HecHandler(Set<String> tokens, boolean ack, long maxContentLength, HecFaults faults, IndexedEvents index,
               HecTraffic traffic) {
        this.tokens = new HecTokens(tokens, faults);
        this.ack = ack;
        this.maxContentLength = maxContentLength;
        this.faults = faults;
        this.index = index;
        this.traffic = traffic;
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            traffic.arrived();
            pause(faults.responseDelay());
            String path = ex.getRequestURI().getPath();
            switch (path) {
                case "/services/collector", "/services/collector/event", "/services/collector/event/1.0" ->
                        data(ex, HecEvent.Endpoint.EVENT);
                case "/services/collector/raw", "/services/collector/raw/1.0" -> data(ex, HecEvent.Endpoint.RAW);
                case "/services/collector/ack" -> ackQuery(ex);
                // health needs no token (Splunk answers it without one; load balancers probe it)
                case "/services/collector/health", "/services/collector/health/1.0" ->
                        reply(ex, faults.isUnhealthy() ? HecStatus.UNHEALTHY : HecStatus.HEALTHY);
                default -> reply(ex, 404, -1, NOT_FOUND);
            }
        }
    }

    private void data(HttpExchange ex, HecEvent.Endpoint endpoint) throws IOException {
        traffic.dataRequest();
        Map<String, String> query = query(ex);
        HecStatus refused = refusal(ex, query, ack);
        if (refused != null) {
            drain(ex);
            reply(ex, refused);
            return;
        }
        if (faults.takeReset()) {
            traffic.answered(HecTraffic.NO_RESPONSE, -1);
            // an exception out of the handler makes the JDK server close the connection without a response
            throw new IOException("scripted fault: connection closed without a response");
        }
        if (faults.takeBusy()) {
            drain(ex);
            // as Splunk answers it: {"text":"Server is busy","code":9,"invalid-event-number":0}
            // (splunk/splunk-connect-for-kubernetes#474): processing stopped before event 0
            reply(ex, HecStatus.SERVER_BUSY, 0, HecStatus.NONE);
            return;
        }
        if (faults.takeTooManyRequests()) {
            drain(ex);
            // Splunk's documented code table has no 429 entry, so the reply has a text and no code
            reply(ex, 429, -1, "{\"text\":\"Too Many Requests\"}");
            return;
        }
        if (faults.takeInternalError()) {
            drain(ex);
            reply(ex, HecStatus.INTERNAL_ERROR);
            return;
        }
        long declared = declaredLength(ex);
        if (declared > maxContentLength) {
            drainAll(ex);
            replyTooLarge(ex, declared);
            return;
        }
        String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
        boolean gzip = "gzip".equalsIgnoreCase(encoding);
        if (!gzip && encoding != null && !"identity".equalsIgnoreCase(encoding)) { // HEC decodes gzip only
            drain(ex);
            reply(ex, 415, -1, "{\"text\":\"Unsupported Content-Encoding\"}");
            return;
        }
        String channel = channel(ex, query);
        InputStream body = HecBodyParser.limit(ex.getRequestBody(), maxContentLength);
        HecBodyParser.Parsed parsed;
        try {
            InputStream decoded = gzip ? gzip(body) : body;
            parsed = endpoint == HecEvent.Endpoint.EVENT
                    ? HecBodyParser.events(decoded, channel).failingAt(faults.takeInvalidEvent())
                    : HecBodyParser.raw(decoded, channel, query);
            body.transferTo(OutputStream.nullOutputStream()); // keep the connection reusable
        } catch (HecBodyParser.TooLarge e) {
            replyTooLarge(ex, -1);
            return;
        }
        long due = System.nanoTime() + faults.indexingDelay().toNanos();
        if (parsed.error() != null) {
            // Splunk indexes the events before the invalid one (or, scripted, none); there is no ackId to poll
            if (parsed.error() != HecStatus.INVALID_DATA_FORMAT || faults.invalidEventKeepsPrefix()) {
                index(parsed.events(), due);
            }
            long number = parsed.error() == HecStatus.NO_DATA ? HecStatus.NONE : parsed.events().size();
            reply(ex, parsed.error(), number, HecStatus.NONE);
            return;
        }
        boolean lost = faults.takeLoseBeforeIndexing();
        long ackId;
        synchronized (this) { // a crash comes before or after this request is indexed and given its ack id
            crashCheck();
            if (!lost) {
                index.index(parsed.events(), due);
            }
            ackId = HecStatus.NONE;
            if (ack) {
                boolean ackLost = lost || faults.takeLoseAckAfterIndexing() || faults.acksNeverTrue();
                ackId = acks.register(channel, ackLost ? AckLedger.NEVER : due);
            }
        }
        reply(ex, HecStatus.SUCCESS, HecStatus.NONE, ackId);
    }

    private synchronized void index(List<HecEvent> events, long due) throws IOException {
        crashCheck();
        index.index(events, due);
    }

    private void ackQuery(HttpExchange ex) throws IOException {
        traffic.ackQuery();
        Map<String, String> query = query(ex);
        HecStatus refused = refusal(ex, query, true);
        if (refused == null && !ack) {
            refused = HecStatus.ACK_DISABLED;
        }
        if (refused != null) {
            drain(ex);
            reply(ex, refused);
            return;
        }
        List<Long> ids;
        try {
            InputStream body = HecBodyParser.limit(ex.getRequestBody(), maxContentLength);
            ids = HecBodyParser.ackIds(body);
            body.transferTo(OutputStream.nullOutputStream());
        } catch (HecBodyParser.TooLarge e) {
            replyTooLarge(ex, -1);
            return;
        }
        if (ids == null) {
            reply(ex, HecStatus.INVALID_DATA_FORMAT);
            return;
        }
        long now = System.nanoTime();
        index.drainDue(now); // an ack is never true before its events are visible
        StringJoiner json = new StringJoiner(",", "{\"acks\":{", "}}");
        acks.query(channel(ex, query), ids, now).forEach((id, ok) -> json.add("\"" + id + "\":" + ok));
        reply(ex, 200, -1, json.toString());
    }

    /** This incarnation dies: requests still in its hands are neither indexed nor answered. */
    synchronized void crash() {
        crashed = true;
    }

    private void crashCheck() throws IOException {
        if (crashed) {
            throw new IOException("the fake HEC crashed while handling this request");
        }
    }

    /** Why the request is refused before its body is looked at: token, then channel; null when it may go on. */
    private HecStatus refusal(HttpExchange ex, Map<String, String> query, boolean channelRequired) {
        HecStatus auth = tokens.refusal(ex.getRequestHeaders().getFirst("Authorization"));
        if (auth != null) {
            return auth;
        }
        String channel = channel(ex, query);
        if (channel == null) {
            return channelRequired ? HecStatus.CHANNEL_MISSING : null;
        }
        return GUID.matcher(channel).matches() ? null : HecStatus.INVALID_CHANNEL;
    }

    private static String channel(HttpExchange ex, Map<String, String> query) {
        String header = ex.getRequestHeaders().getFirst("X-Splunk-Request-Channel");
        return header != null ? header : query.get("channel");
    }

    private static Map<String, String> query(HttpExchange ex) {
        Map<String, String> params = new HashMap<>();
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return params;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            try {
                params.putIfAbsent(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                // a malformed escape: the parameter is ignored
            }
        }
        return params;
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    private static long declaredLength(HttpExchange ex) {
        String length = ex.getRequestHeaders().getFirst("Content-Length");
        try {
            return length == null ? -1 : Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return -1; // the JDK server has already rejected an unparsable length
        }
    }

    private static InputStream gzip(InputStream body) throws IOException {
        try {
            return new GZIPInputStream(body, 1 << 16);
        } catch (HecBodyParser.TooLarge e) {
            throw e;
        } catch (IOException notGzip) {
            // the body's first event is unreadable: the parser answers "Invalid data format", event 0
            return new InputStream() {
                @Override
                public int read() throws IOException {
                    throw notGzip;
                }
            };
        }
    }

    /** Reads what is left of the body, so the connection can carry the next request. */
    private void drain(HttpExchange ex) {
        try {
            HecBodyParser.limit(ex.getRequestBody(), maxContentLength).transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // too long or broken: the JDK server closes this connection after the reply
        }
    }

    /**
     * Reads a body over the limit before refusing it, as HTTP servers commonly do for moderate sizes: a reply
     * sent while the client still writes would reach it as a connection reset instead of a 413.
     */
    private static void drainAll(HttpExchange ex) {
        try {
            ex.getRequestBody().transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // broken: the JDK server closes this connection after the reply
        }
    }

    /**
     * 413 for a body over {@code max_content_length}. Splunk's HEC code table has no entry for 413 and no
     * source found shows Splunk's body for it, so this reply carries a text and no code: a client must go
     * by the status.
     */
    private void replyTooLarge(HttpExchange ex, long declared) throws IOException {
        String text = declared >= 0
                ? "Content-Length of " + declared + " too large (maximum is " + maxContentLength + ")"
                : "Content too large (maximum is " + maxContentLength + ")";
        reply(ex, 413, -1, "{\"text\":\"" + text + "\"}");
    }

    private void reply(HttpExchange ex, HecStatus status) throws IOException {
        reply(ex, status, HecStatus.NONE, HecStatus.NONE);
    }

    private void reply(HttpExchange ex, HecStatus status, long invalidEventNumber, long ackId) throws IOException {
        reply(ex, status.httpStatus(), status.code(), status.json(invalidEventNumber, ackId));
    }

    private void reply(HttpExchange ex, int httpStatus, int code, String json) throws IOException {
        traffic.answered(httpStatus, code);
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json; charset=UTF-8");
        ex.sendResponseHeaders(httpStatus, bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static void pause(Duration delay) {
        if (delay.isZero()) {
            return;
        }
        try {
            Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
