package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Send logs endpoint over {@link HttpExchange}. A request is checked in this order: path and method, a
 * scripted outage, the API key, counted faults, payload size and encoding, JSON, array size, rejected
 * messages; then its logs are truncated where needed, stored, and answered 202. Any refusal stores nothing.
 */
final class IntakeHandler implements HttpHandler {

    static final String PATH = "/api/v2/logs";

    private final ApiKeys keys;
    private final DatadogFaults faults;
    private final PayloadDecoder decoder;
    private final LogTruncator truncator;
    private final int maxEntries;
    private final int maxLogBytes;
    private final ReceivedLogs received;
    private final IntakeTraffic traffic;

    IntakeHandler(ApiKeys keys, DatadogFaults faults, IntakeLimits limits, ReceivedLogs received,
                  IntakeTraffic traffic) {
        this.keys = keys;
        this.faults = faults;
        this.decoder = new PayloadDecoder(limits.maxPayloadBytes());
        this.truncator = new LogTruncator(decoder.json(), limits.maxLogBytes());
        this.maxEntries = limits.maxEntries();
        this.maxLogBytes = limits.maxLogBytes();
        this.received = received;
        this.traffic = traffic;
    }

    /** The size limits of one request. */
    record IntakeLimits(int maxEntries, long maxPayloadBytes, int maxLogBytes) {
    }

    @Override
    public void handle(HttpExchange ex) throws IOException {
        try (ex) {
            traffic.arrived(); // counted before the delay, so a test sees requests its client gave up on
            pause(faults.responseDelay());
            Counting body = new Counting(ex.getRequestBody());
            String ddtags = queryParameter(ex, "ddtags");
            IntakeReply reply = route(ex, body, ddtags);
            boolean answer = reply.status() != IntakeTraffic.NO_RESPONSE;
            if (answer) {
                drain(body); // a reply sent while the client still writes would reach it as a connection reset
            }
            traffic.answered(new DatadogRequest(headers(ex), ddtags, body.count, reply.status(), reply.logsStored()));
            if (!answer) {
                // an exception out of the handler makes the JDK server close the connection without a response
                throw new IOException("scripted fault: connection closed without a response");
            }
            send(ex, reply);
        }
    }

    private IntakeReply route(HttpExchange ex, InputStream body, String ddtags) throws IOException {
        if (!PATH.equals(ex.getRequestURI().getPath())) {
            return IntakeReply.error(404, "Not found: the logs endpoint is POST " + PATH);
        }
        if (!"POST".equalsIgnoreCase(ex.getRequestMethod())) {
            return IntakeReply.error(405, "Method not allowed: the logs endpoint is POST " + PATH);
        }
        if (faults.takeOutage()) {
            return IntakeReply.error(503, "Service unavailable (scripted outage)");
        }
        IntakeReply refused = keys.refusal(ex.getRequestHeaders().getFirst("DD-API-KEY"));
        if (refused != null) {
            return refused;
        }
        DatadogFaults.Fault fault = faults.take();
        return fault != null ? IntakeReply.of(fault, faults.retryAfterSeconds()) : intake(ex, body, ddtags);
    }

    private IntakeReply intake(HttpExchange ex, InputStream body, String ddtags) throws IOException {
        PayloadDecoder.Payload payload;
        try {
            payload = decoder.decode(ex.getRequestHeaders().getFirst("Content-Encoding"), body);
        } catch (PayloadDecoder.TooLarge e) {
            return IntakeReply.error(413, "Request too large"); // the intake's own words (see IntakeErrors)
        } catch (PayloadDecoder.Malformed e) {
            return IntakeReply.error(400, e.getMessage());
        }
        List<ObjectNode> logs = payload.logs();
        if (logs.size() > maxEntries) {
            return IntakeReply.error(413, "Too many logs in the array: " + logs.size() + " (maximum " + maxEntries
                    + ")");
        }
        for (ObjectNode log : logs) {
            if (faults.hasRejections() && faults.rejects(DatadogLog.messageOf(log))) {
                return IntakeReply.error(400, "Malformed payload (scripted rejection of a log)");
            }
        }
        List<DatadogLog> accepted = accept(logs, payload.uncompressedBytes() > maxLogBytes, ddtags);
        received.add(accepted);
        return IntakeReply.accepted(accepted.size());
    }

    private List<DatadogLog> accept(List<ObjectNode> logs, boolean mayBeTooLong, String ddtags) throws IOException {
        Instant now = Instant.now();
        List<DatadogLog> accepted = new ArrayList<>(logs.size());
        for (ObjectNode log : logs) {
            boolean truncated = mayBeTooLong && truncator.fit(log); // no log can be longer than its payload
            accepted.add(DatadogLog.of(log, truncated, now, ddtags));
        }
        return accepted;
    }

    private static void drain(InputStream body) {
        try {
            body.transferTo(OutputStream.nullOutputStream());
        } catch (IOException e) {
            // broken: the JDK server closes this connection after the reply
        }
    }

    private static void send(HttpExchange ex, IntakeReply reply) throws IOException {
        byte[] bytes = reply.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        if (reply.retryAfterSeconds() >= 0) {
            ex.getResponseHeaders().set("Retry-After", Long.toString(reply.retryAfterSeconds()));
        }
        ex.sendResponseHeaders(reply.status(), bytes.length);
        ex.getResponseBody().write(bytes);
    }

    private static Map<String, List<String>> headers(HttpExchange ex) {
        Map<String, List<String>> copy = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        ex.getRequestHeaders().forEach((name, values) -> copy.put(name, List.copyOf(values)));
        return Collections.unmodifiableMap(copy);
    }

    private static String queryParameter(HttpExchange ex, String name) {
        String raw = ex.getRequestURI().getRawQuery();
        if (raw == null) {
            return null;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                try {
                    return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    return pair.substring(eq + 1); // a malformed escape: kept as sent
                }
            }
        }
        return null;
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

    /** Counts the body bytes read off the wire. */
    private static final class Counting extends FilterInputStream {
        private long count;

        Counting(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count += b >= 0 ? 1 : 0;
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            count += Math.max(n, 0);
            return n;
        }
    }
}
