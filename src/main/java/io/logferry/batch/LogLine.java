package io.logferry.batch;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * One line read from a file, with its origin key: (source, fingerprint, offset) names it uniquely, so a sink
 * that can deduplicate turns a replay into a no-op.
 *
 * <p>The line is the bytes the application wrote (without the line terminator), kept as a slice of a chunk
 * the tail read: the lines of one read share one array, so a line costs no copy and no {@code String} until
 * a sink asks for {@link #text()}. Sinks that write bytes (syslog frames, HEC) read the slice directly.
 * Immutable as long as nobody writes into the shared array, which only the tail creates.
 */
public final class LogLine {

    private final String source;
    private final String path;
    private final String fingerprint;
    private final long offset;
    private final byte[] chunk;
    private final int start;
    private final int length;
    private final long readMillis;

    /**
     * @param source      the configured source id (the host or pipeline the line came from)
     * @param path        the path the file had when the line was read (informational, not identity)
     * @param fingerprint the file's fingerprint, its identity across renames
     * @param offset      the byte offset of the line's first byte in that file
     * @param chunk       the array holding the line's bytes (shared with other lines; never modified)
     * @param start       the index of the line's first byte in {@code chunk}
     * @param length      the line's length in bytes, without its terminator
     */
    public LogLine(String source, String path, String fingerprint, long offset, byte[] chunk, int start,
                   int length) {
        this(source, path, fingerprint, offset, chunk, start, length, System.currentTimeMillis());
    }

    /** As above, read at {@code readMillis} (epoch milliseconds). */
    public LogLine(String source, String path, String fingerprint, long offset, byte[] chunk, int start,
                   int length, long readMillis) {
        Objects.checkFromIndexSize(start, length, chunk.length);
        this.readMillis = readMillis;
        this.source = source;
        this.path = path;
        this.fingerprint = fingerprint;
        this.offset = offset;
        this.chunk = chunk;
        this.start = start;
        this.length = length;
    }

    /** A line given as text (tests, lines read back from a store), held as its UTF-8 bytes. */
    public LogLine(String source, String path, String fingerprint, long offset, String text) {
        this(source, path, fingerprint, offset, text.getBytes(StandardCharsets.UTF_8));
    }

    private LogLine(String source, String path, String fingerprint, long offset, byte[] bytes) {
        this(source, path, fingerprint, offset, bytes, 0, bytes.length);
    }

    /** When the line was read (epoch milliseconds): the time of a line that carries none of its own. */
    public long readMillis() {
        return readMillis;
    }

    public String source() {
        return source;
    }

    public String path() {
        return path;
    }

    public String fingerprint() {
        return fingerprint;
    }

    public long offset() {
        return offset;
    }

    /** The line as text: decoded from UTF-8, each invalid sequence replaced by U+FFFD. Allocates each time. */
    public String text() {
        return new String(chunk, start, length, StandardCharsets.UTF_8);
    }

    /** The array that holds the line's bytes from {@link #start()}: read it, never write it. */
    public byte[] chunk() {
        return chunk;
    }

    public int start() {
        return start;
    }

    /** The line's length in bytes, without its terminator. */
    public int length() {
        return length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogLine other && offset == other.offset && Objects.equals(source, other.source)
                && Objects.equals(path, other.path) && Objects.equals(fingerprint, other.fingerprint)
                && Arrays.equals(chunk, start, start + length, other.chunk, other.start, other.start + other.length);
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(source, path, fingerprint, offset);
        for (int i = start; i < start + length; i++) {
            h = 31 * h + chunk[i];
        }
        return h;
    }

    @Override
    public String toString() {
        return "LogLine[source=" + source + ", path=" + path + ", fingerprint=" + fingerprint + ", offset=" + offset
                + ", text=" + text() + "]";
    }
}
