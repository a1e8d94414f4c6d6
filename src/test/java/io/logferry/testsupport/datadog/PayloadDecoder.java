package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;
import java.util.zip.ZipException;

/**
 * Turns a request body into log objects: undoes its {@code Content-Encoding} ({@code identity}, {@code gzip} or
 * {@code deflate}, the values the API specification enumerates), enforces the uncompressed payload limit while
 * reading, and parses the JSON: an array of objects or a single object.
 */
final class PayloadDecoder {

    /** The uncompressed body is over the payload limit (413). */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge() {
            super("payload over the limit");
        }
    }

    /** The body is not a payload Datadog accepts (400). */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String detail) {
            super(detail, null, false, false);
        }
    }

    /** The decoded logs and the uncompressed size of the body. */
    record Payload(List<ObjectNode> logs, long uncompressedBytes) {
    }

    private final ObjectMapper json = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    private final long maxPayloadBytes;

    PayloadDecoder(long maxPayloadBytes) {
        this.maxPayloadBytes = maxPayloadBytes;
    }

    ObjectMapper json() {
        return json;
    }

    Payload decode(String contentEncoding, InputStream body) throws IOException, Malformed {
        Limited limited;
        JsonNode root;
        try {
            limited = new Limited(decoded(contentEncoding, body), maxPayloadBytes);
            root = json.readTree(limited);
        } catch (TooLarge e) {
            throw e;
        } catch (JsonProcessingException e) {
            throw new Malformed("Malformed payload");
        } catch (ZipException | EOFException e) {
            throw new Malformed("Malformed payload: the body is not valid " + contentEncoding + " data");
        }
        return new Payload(logs(root), limited.count);
    }

    private static InputStream decoded(String encoding, InputStream body) throws IOException, Malformed {
        if (encoding == null || encoding.isBlank() || encoding.equalsIgnoreCase("identity")) {
            return body;
        }
        if (encoding.equalsIgnoreCase("gzip")) {
            return new GZIPInputStream(body, 1 << 16);
        }
        if (encoding.equalsIgnoreCase("deflate")) { // HTTP's deflate is the zlib format (RFC 9110, 8.4.1.2)
            return new InflaterInputStream(body);
        }
        throw new Malformed("Unsupported Content-Encoding: " + encoding);
    }

    private static List<ObjectNode> logs(JsonNode root) throws Malformed {
        if (root == null || root.isMissingNode()) {
            throw new Malformed("Malformed payload: empty body");
        }
        if (root instanceof ObjectNode single) {
            return List.of(single);
        }
        if (!root.isArray()) {
            throw new Malformed("Malformed payload: expected a JSON array of logs or a log object");
        }
        List<ObjectNode> logs = new ArrayList<>(root.size());
        for (JsonNode element : root) {
            if (!(element instanceof ObjectNode log)) {
                throw new Malformed("Malformed payload: every log must be a JSON object");
            }
            logs.add(log);
        }
        return logs;
    }

    /** Counts the uncompressed bytes and throws {@link TooLarge} once they pass the limit. */
    private static final class Limited extends FilterInputStream {
        private final long max;
        private long count;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                counted(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buf, int off, int len) throws IOException {
            int n = super.read(buf, off, len);
            if (n > 0) {
                counted(n);
            }
            return n;
        }

        private void counted(int n) throws TooLarge {
            count += n;
            if (count > max) {
                throw new TooLarge();
            }
        }
    }
}
