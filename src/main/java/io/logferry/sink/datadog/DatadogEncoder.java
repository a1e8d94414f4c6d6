package io.logferry.sink.datadog;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.logferry.batch.LogLine;
import io.logferry.json.JsonEscape;
import io.logferry.rfc5424.Rfc5424Parser;
import io.logferry.rfc5424.Rfc5424Record;
import io.logferry.rfc5424.SyslogTime;
import io.logferry.sink.BatchDelivery;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;
import java.util.zip.GZIPOutputStream;

/**
 * Turns lines into Datadog Logs API v2 requests: a JSON array of logs, each with {@code message},
 * {@code ddsource}, {@code ddtags}, {@code hostname}, {@code service}, and for an RFC 5424 line its fields under
 * {@code syslog} (Datadog's standard syslog attributes), {@code status} from its severity and {@code timestamp}
 * (epoch milliseconds, which Datadog's date remapper reads) from its TIMESTAMP; the origin under
 * {@code logferry}. A request holds at most maxEntries logs and maxBytes bytes before compression.
 * Thread-safe: each thread reuses its own buffers.
 */
final class DatadogEncoder {

    private static final JsonFactory JSON = new JsonFactory();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);
    /** Bytes a log adds around its line: attribute names, metadata, syslog fields (an estimate for chunking). */
    private static final int ENTRY_OVERHEAD = 200;
    private static final String[] STATUS = {"emergency", "alert", "critical", "error", "warning", "notice", "info",
            "debug"};

    private final DatadogConfiguration config;
    private final IntConsumer replaced;

    /** @param replaced told of each line sent with U+FFFD because it was not well-formed UTF-8 */
    DatadogEncoder(DatadogConfiguration config, IntConsumer replaced) {
        this.config = config;
        this.replaced = replaced;
    }

    /**
     * The lines at {@code indices} cut into chunks of at most maxEntries lines and about maxBytes of text, each
     * encoded later on a sender lane (so encoding and compression use every lane, not the route's one sink thread).
     */
    List<int[]> chunks(BatchDelivery delivery, int[] indices) {
        List<int[]> chunks = new ArrayList<>();
        int from = 0;
        long bytes = 0;
        for (int n = 0; n < indices.length; n++) {
            long length = delivery.lines().get(indices[n]).length() + ENTRY_OVERHEAD;
            if (n > from && (n - from == config.maxEntries() || bytes + length > config.maxBytes())) {
                chunks.add(Arrays.copyOfRange(indices, from, n));
                from = n;
                bytes = 0;
            }
            bytes += length;
        }
        if (from < indices.length) {
            chunks.add(Arrays.copyOfRange(indices, from, indices.length));
        }
        return chunks;
    }

    /** The requests that carry the lines at {@code indices} of the delivery, in order. */
    List<DatadogRequest> encode(BatchDelivery delivery, int[] indices) {
        List<DatadogRequest> requests = new ArrayList<>();
        Scratch scratch = SCRATCH.get();
        Buffer body = scratch.body;
        Buffer entry = scratch.entry;
        body.reset();
        int from = 0;
        body.write('[');
        for (int n = 0; n < indices.length; n++) {
            entry.reset();
            write(entry, delivery.lines().get(indices[n]));
            int entries = n - from;
            boolean full = entries == config.maxEntries() || body.size() + 1 + entry.size() + 1 > config.maxBytes();
            if (entries > 0 && full) {
                requests.add(request(delivery, Arrays.copyOfRange(indices, from, n), body));
                body.reset();
                body.write('[');
                from = n;
            } else if (entries > 0) {
                body.write(',');
            }
            body.write(entry.bytes(), 0, entry.size());
        }
        if (from < indices.length) {
            requests.add(request(delivery, Arrays.copyOfRange(indices, from, indices.length), body));
        }
        return requests;
    }

    private DatadogRequest request(BatchDelivery delivery, int[] lines, Buffer body) {
        body.write(']');
        int length = body.size();
        byte[] wire = config.gzip() ? gzip(body, config.compressionLevel()) : body.toByteArray();
        return new DatadogRequest(delivery, lines, wire, length);
    }

    private void write(Buffer out, LogLine line) {
        if (!JsonEscape.wellFormed(line.chunk(), line.start(), line.length())) {
            replaced.accept(1);
        }
        String text = line.text();
        Rfc5424Record record = Rfc5424Parser.parse(text);
        try (JsonGenerator json = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            json.writeStartObject();
            json.writeStringField("message", record != null && record.message() != null ? record.message() : text);
            json.writeStringField("ddsource", config.source());
            if (!config.tags().isEmpty()) {
                json.writeStringField("ddtags", config.tags());
            }
            json.writeStringField("hostname", hostname(line, record));
            String service = !config.service().isEmpty() ? config.service() : record != null ? record.appName() : null;
            if (service != null) {
                json.writeStringField("service", service);
            }
            if (record != null) {
                writeSyslog(json, record, text);
            }
            json.writeObjectFieldStart("logferry");
            json.writeStringField("path", line.path());
            json.writeNumberField("offset", line.offset());
            json.writeEndObject();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeSyslog(JsonGenerator json, Rfc5424Record record, String text) throws IOException {
        long millis = SyslogTime.epochMillis(text);
        if (millis != SyslogTime.NONE) {
            json.writeNumberField("timestamp", millis);
        }
        json.writeStringField("status", STATUS[record.severity()]);
        json.writeObjectFieldStart("syslog");
        json.writeNumberField("severity", record.severity());
        json.writeNumberField("facility", record.facility());
        writeIfPresent(json, "hostname", record.hostname());
        writeIfPresent(json, "appname", record.appName());
        writeIfPresent(json, "procid", record.procId());
        writeIfPresent(json, "msgid", record.msgId());
        writeIfPresent(json, "timestamp", record.timestamp());
        writeIfPresent(json, "structured_data", record.structuredData());
        json.writeEndObject();
    }

    private String hostname(LogLine line, Rfc5424Record record) {
        if (!config.hostname().isEmpty()) {
            return config.hostname();
        }
        return record != null && record.hostname() != null ? record.hostname() : line.source();
    }

    private static void writeIfPresent(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static byte[] gzip(Buffer plain, int level) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(plain.size() / 4 + 64);
        try (GZIPOutputStream zip = new LeveledGzip(out, level)) {
            zip.write(plain.bytes(), 0, plain.size());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A byte buffer whose array can be read without a copy. */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer(int size) {
            super(size);
        }

        byte[] bytes() {
            return buf;
        }
    }

    /** The buffers one thread reuses for every request it encodes. */
    private static final class Scratch {
        final Buffer body = new Buffer(1 << 20);
        final Buffer entry = new Buffer(4096);
    }

    /** gzip at a chosen level (the JDK's GZIPOutputStream always starts at zlib's default, 6). */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(ByteArrayOutputStream out, int level) throws IOException {
            super(out, 65536);
            def.setLevel(level);
        }
    }
}
