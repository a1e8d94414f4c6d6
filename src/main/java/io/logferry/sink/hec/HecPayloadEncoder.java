package io.logferry.sink.hec;

import io.logferry.sink.BatchDelivery;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.logferry.batch.LogLine;
import io.logferry.json.JsonEscape;
import io.logferry.rfc5424.SyslogTime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.zip.GZIPOutputStream;

/**
 * Turns lines into request bodies bounded by events and bytes. The event endpoint gets one JSON object per
 * line ({@code time} from the RFC 5424 timestamp, metadata, {@code event} the line); the raw endpoint gets
 * the lines as they are, one request per distinct metadata because raw metadata travels in the query string.
 * A single line larger than the byte bound is sent alone. Thread-safe (no shared mutable state).
 */
final class HecPayloadEncoder {

    private static final byte[] TIME_MEMBER = "\"time\":".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EVENT_MEMBER = "\"event\":\"".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] EVENT_END = "\"}\n".getBytes(StandardCharsets.ISO_8859_1);
    private static final int METADATA_CACHE_LIMIT = 10_000;
    /**
     * Each encoding thread writes into one buffer that grows to the largest request and is kept: a request
     * then costs one exact-size copy (its body), not a series of doublings.
     */
    private static final ThreadLocal<Body> SCRATCH = ThreadLocal.withInitial(Body::new);

    private final HecConfiguration config;
    private final MetadataRules metadata;
    private final IntConsumer replaced;
    private final Map<HecMetadata, byte[]> metadataMembers = new java.util.concurrent.ConcurrentHashMap<>();

    HecPayloadEncoder(HecConfiguration config, MetadataRules metadata) {
        this(config, metadata, lines -> { });
    }

    /** @param replaced told of each line sent with U+FFFD because it was not well-formed UTF-8 */
    HecPayloadEncoder(HecConfiguration config, MetadataRules metadata, IntConsumer replaced) {
        this.config = config;
        this.metadata = metadata;
        this.replaced = replaced;
    }

    /** The requests carrying the given lines of the delivery's batch, in order. */
    List<HecRequest> encode(BatchDelivery delivery, int[] indices) {
        List<LogLine> lines = delivery.lines();
        if (config.endpoint() == HecEndpoint.RAW) {
            Map<HecMetadata, List<Integer>> groups = new LinkedHashMap<>();
            for (int i : indices) {
                groups.computeIfAbsent(metadata.of(lines.get(i)), k -> new ArrayList<>()).add(i);
            }
            List<HecRequest> out = new ArrayList<>();
            groups.forEach((meta, group) -> out.addAll(
                    chunk(delivery, group.stream().mapToInt(Integer::intValue).toArray(), query(meta))));
            return out;
        }
        return chunk(delivery, indices, "");
    }

    private List<HecRequest> chunk(BatchDelivery delivery, int[] indices, String query) {
        List<HecRequest> out = new ArrayList<>();
        Body body = SCRATCH.get();
        body.reset();
        int first = 0;
        for (int n = 0; n < indices.length; n++) {
            int before = body.size();
            write(body, delivery.lines().get(indices[n]));
            boolean full = n - first + 1 > config.maxEvents() || body.size() > config.maxBytes();
            if (full && n > first) {
                byte[] spill = body.cut(before);
                out.add(request(delivery, Arrays.copyOfRange(indices, first, n), body, query));
                body.reset();
                body.write(spill);
                first = n;
            }
        }
        if (first < indices.length) {
            out.add(request(delivery, Arrays.copyOfRange(indices, first, indices.length), body, query));
        }
        return out;
    }

    private void write(Body body, LogLine line) {
        if (config.endpoint() == HecEndpoint.RAW) {
            body.write(line.chunk(), line.start(), line.length()); // the bytes as written: raw takes any bytes
            body.write('\n');
            return;
        }
        // {"time":…,"host":…,"source":…,"sourcetype":…,"index":…,"event":"…"}: the metadata members are the
        // same for every line of a file, so they are escaped once and copied; the line is escaped from its bytes.
        body.write('{');
        long millis = SyslogTime.epochMillis(line.chunk(), line.start(), line.length());
        if (millis != SyslogTime.NONE) {
            body.write(TIME_MEMBER);
            body.writeSeconds(millis);
            body.write(',');
        }
        if (metadataMembers.size() > METADATA_CACHE_LIMIT) {
            metadataMembers.clear();
        }
        body.write(metadataMembers.computeIfAbsent(metadata.of(line), HecPayloadEncoder::members));
        body.write(EVENT_MEMBER);
        if (!body.writeJsonEscaped(line)) {
            // not well-formed UTF-8: JSON must be Unicode, so invalid sequences become U+FFFD, counted
            body.write(JsonStringEncoder.getInstance().quoteAsUTF8(line.text()));
            replaced.accept(1);
        }
        body.write(EVENT_END);
    }

    /** {@code "host":"…","source":"…",} for the non-empty fields, escaped. */
    private static byte[] members(HecMetadata meta) {
        StringBuilder json = new StringBuilder();
        member(json, "host", meta.host());
        member(json, "source", meta.source());
        member(json, "sourcetype", meta.sourcetype());
        member(json, "index", meta.index());
        return json.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void member(StringBuilder json, String name, String value) {
        if (!value.isEmpty()) {
            json.append('"').append(name).append("\":\"")
                    .append(JsonStringEncoder.getInstance().quoteAsString(value)).append("\",");
        }
    }

    private HecRequest request(BatchDelivery delivery, int[] lines, Body body, String query) {
        int raw = body.size();
        byte[] bytes = config.gzip() ? gzip(body) : body.toByteArray();
        return new HecRequest(delivery, lines, bytes, raw, query);
    }

    private static byte[] gzip(Body body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(body.size() / 4 + 64);
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 8192)) {
            body.writeTo(gz);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static String query(HecMetadata meta) {
        StringBuilder q = new StringBuilder();
        param(q, "host", meta.host());
        param(q, "source", meta.source());
        param(q, "sourcetype", meta.sourcetype());
        param(q, "index", meta.index());
        return q.toString();
    }

    private static void param(StringBuilder q, String name, String value) {
        if (!value.isEmpty()) {
            q.append(q.isEmpty() ? "" : "&").append(name).append('=').append(URLEncoder.encode(value,
                    StandardCharsets.UTF_8));
        }
    }

    /**
     * A growable request body written without locks (ByteArrayOutputStream synchronizes every write) that can
     * give back the bytes past a boundary (the event that did not fit). Reused: the request gets a copy.
     */
    private static final class Body {
        private byte[] buf = new byte[64 * 1024];
        private int count;

        int size() {
            return count;
        }

        void reset() {
            count = 0;
        }

        void write(int b) {
            ensure(1);
            buf[count++] = (byte) b;
        }

        void write(byte[] bytes) {
            write(bytes, 0, bytes.length);
        }

        void write(byte[] bytes, int from, int length) {
            ensure(length);
            System.arraycopy(bytes, from, buf, count, length);
            count += length;
        }

        /** Epoch seconds with milliseconds, as HEC's {@code time} takes them, e.g. {@code 1732350000.123}. */
        void writeSeconds(long millis) {
            long seconds = Math.floorDiv(millis, 1000);
            int ms = (int) Math.floorMod(millis, 1000);
            String digits = Long.toString(seconds);
            ensure(digits.length() + 4);
            for (int i = 0; i < digits.length(); i++) {
                buf[count++] = (byte) digits.charAt(i);
            }
            buf[count++] = '.';
            buf[count++] = (byte) ('0' + ms / 100);
            buf[count++] = (byte) ('0' + ms / 10 % 10);
            buf[count++] = (byte) ('0' + ms % 10);
        }

        /** Writes the line as JSON string contents; false (nothing written) when it is not valid UTF-8. */
        boolean writeJsonEscaped(LogLine line) {
            ensure(JsonEscape.maxEscapedLength(line.length()));
            int end = JsonEscape.escape(line.chunk(), line.start(), line.length(), buf, count);
            if (end < 0) {
                return false;
            }
            count = end;
            return true;
        }

        byte[] cut(int at) {
            byte[] tail = Arrays.copyOfRange(buf, at, count);
            count = at;
            return tail;
        }

        byte[] toByteArray() {
            return Arrays.copyOf(buf, count);
        }

        void writeTo(OutputStream out) throws IOException {
            out.write(buf, 0, count);
        }

        private void ensure(int more) {
            if (count + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, count + more));
            }
        }
    }
}
