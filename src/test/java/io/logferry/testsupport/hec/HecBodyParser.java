package io.logferry.testsupport.hec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads HEC request bodies as a stream: {@code /event} bodies with Jackson's streaming parser (one pass, no
 * tree per event) and {@code /raw} bodies line by line. Parsing stops at the first invalid event; what was
 * parsed before it is returned with the error, because Splunk indexes the events before
 * {@code invalid-event-number} and none from it on (see {@link FakeHecServer} for the sources).
 */
final class HecBodyParser {

    /** The handler drains and closes the exchange's stream itself, so the parser must not close it. */
    private static final JsonFactory JSON = JsonFactory.builder().disable(StreamReadFeature.AUTO_CLOSE_SOURCE).build();

    private HecBodyParser() {
    }

    /** The events read before the first error, and that error (null when the whole body was valid). */
    record Parsed(List<HecEvent> events, HecStatus error) {

        /** The body with its event {@code k} treated as malformed: events 0..k-1 stand, k is the error. */
        Parsed failingAt(int k) {
            if (k < 0 || k >= events.size()) {
                return this;
            }
            return new Parsed(events.subList(0, k), HecStatus.INVALID_DATA_FORMAT);
        }
    }

    /** Thrown while reading a body that is longer than the server's max content length. */
    static final class TooLarge extends IOException {
        TooLarge() {
            super("request body exceeds max content length");
        }
    }

    /** The body, failing with {@link TooLarge} once more than {@code max} bytes were read from it. */
    static InputStream limit(InputStream body, long max) {
        return new FilterInputStream(body) {
            private long read;

            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buf, int off, int len) throws IOException {
                int n = super.read(buf, off, len);
                count(Math.max(n, 0));
                return n;
            }

            private void count(int n) throws TooLarge {
                read += n;
                if (read > max) {
                    throw new TooLarge();
                }
            }
        };
    }

    /** Concatenated JSON objects, optionally separated by whitespace, as {@code /services/collector/event} takes. */
    static Parsed events(InputStream body, String channel) throws TooLarge {
        List<HecEvent> events = new ArrayList<>();
        try (JsonParser p = JSON.createParser(body)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                if (t != JsonToken.START_OBJECT) {
                    return new Parsed(events, HecStatus.INVALID_DATA_FORMAT);
                }
                HecStatus error = readEvent(p, channel, events);
                if (error != null) {
                    return new Parsed(events, error);
                }
            }
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            // broken JSON or a broken gzip stream: the event being read is the invalid one
            return new Parsed(events, HecStatus.INVALID_DATA_FORMAT);
        }
        return new Parsed(events, events.isEmpty() ? HecStatus.NO_DATA : null);
    }

    /** Reads one object (the parser is on its START_OBJECT) into {@code into}, or returns why it is invalid. */
    private static HecStatus readEvent(JsonParser p, String channel, List<HecEvent> into) throws IOException {
        boolean hasEvent = false;
        String event = null;
        BigDecimal time = null;
        String host = null;
        String source = null;
        String sourcetype = null;
        String index = null;
        String fields = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "event" -> {
                    hasEvent = true;
                    event = text(p, v);
                }
                case "time" -> {
                    if (v.isNumeric()) {
                        time = p.getDecimalValue();
                    } else if (v == JsonToken.VALUE_STRING) {
                        try {
                            time = new BigDecimal(p.getText());
                        } catch (NumberFormatException e) {
                            return HecStatus.INVALID_DATA_FORMAT;
                        }
                    } else if (v != JsonToken.VALUE_NULL) {
                        return HecStatus.INVALID_DATA_FORMAT;
                    }
                }
                case "host" -> host = text(p, v);
                case "source" -> source = text(p, v);
                case "sourcetype" -> sourcetype = text(p, v);
                case "index" -> index = text(p, v);
                case "fields" -> fields = text(p, v);
                default -> p.skipChildren();
            }
        }
        if (!hasEvent) {
            return HecStatus.EVENT_REQUIRED;
        }
        if (event == null || event.isBlank()) {
            return HecStatus.EVENT_BLANK;
        }
        into.add(new HecEvent(event, time, host, source, sourcetype, index, fields, channel, HecEvent.Endpoint.EVENT));
        return null;
    }

    /** A string's value, a structure's JSON text, a scalar's literal text; null for JSON null. */
    private static String text(JsonParser p, JsonToken v) throws IOException {
        if (v == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!v.isStructStart()) {
            return p.getText();
        }
        StringWriter out = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.copyCurrentStructure(p);
        }
        return out.toString();
    }

    /**
     * A {@code /services/collector/raw} body: every line is one event, with the query string's host, source,
     * sourcetype and index. Lines break on CR and LF and empty lines vanish, as with Splunk's default
     * {@code LINE_BREAKER = ([\r\n]+)}; so do lines of only whitespace, so a blank body is "No data".
     */
    static Parsed raw(InputStream body, String channel, Map<String, String> query) throws TooLarge {
        List<HecEvent> events = new ArrayList<>();
        String host = query.get("host");
        String source = query.get("source");
        String sourcetype = query.get("sourcetype");
        String index = query.get("index");
        try {
            BufferedReader lines = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 1 << 16);
            for (String line; (line = lines.readLine()) != null; ) {
                if (!line.isBlank()) {
                    events.add(new HecEvent(line, null, host, source, sourcetype, index, null, channel,
                            HecEvent.Endpoint.RAW));
                }
            }
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            return new Parsed(events, HecStatus.INVALID_DATA_FORMAT);
        }
        return new Parsed(events, events.isEmpty() ? HecStatus.NO_DATA : null);
    }

    /** An ack query body, {@code {"acks":[0,1,2]}}; null when it is not one. */
    static List<Long> ackIds(InputStream body) throws TooLarge {
        List<Long> ids = new ArrayList<>();
        boolean sawAcks = false;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                if (!"acks".equals(p.currentName())) {
                    p.nextToken();
                    p.skipChildren();
                    continue;
                }
                if (p.nextToken() != JsonToken.START_ARRAY) {
                    return null;
                }
                sawAcks = true;
                for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                    if (t != JsonToken.VALUE_NUMBER_INT) {
                        return null;
                    }
                    ids.add(p.getLongValue());
                }
            }
        } catch (TooLarge e) {
            throw e;
        } catch (IOException e) {
            return null;
        }
        return sawAcks ? ids : null;
    }
}
