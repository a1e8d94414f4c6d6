package io.logferry.kafka;

import java.nio.charset.StandardCharsets;

/**
 * How logferry writes a line as a Kafka record, and reads it back: the value is the line's exact bytes, the key
 * its origin key {@code source/fingerprint/offset} (unique per line, so any consumer can deduplicate), the
 * timestamp the time the line was read, and the header {@value #PATH_HEADER} the file's path when it was read.
 */
public final class LineRecords {

    /** Header holding the path the file had when the line was read (UTF-8). */
    public static final String PATH_HEADER = "path";

    /** The origin key of a record, parsed. */
    public record Origin(String source, String fingerprint, long offset) {
    }

    private LineRecords() {
    }

    /** The record key of the line at {@code offset} of file {@code fingerprint} from {@code source}. */
    public static byte[] key(String source, String fingerprint, long offset) {
        return (source + '/' + fingerprint + '/' + offset).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The origin in a record key written by {@link #key}, or null for a key logferry did not write. Read from
     * the right: the fingerprint and the offset hold no '/', a source may.
     */
    public static Origin origin(byte[] key) {
        if (key == null) {
            return null;
        }
        String text = new String(key, StandardCharsets.UTF_8);
        int last = text.lastIndexOf('/');
        int middle = last > 0 ? text.lastIndexOf('/', last - 1) : -1;
        if (middle <= 0 || last == text.length() - 1) {
            return null;
        }
        try {
            long offset = Long.parseLong(text.substring(last + 1));
            return offset < 0 ? null : new Origin(text.substring(0, middle), text.substring(middle + 1, last), offset);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
