package io.logferry.kafka;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

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
        return key(keyPrefix(source, fingerprint), offset);
    }

    /** What the keys of one file's lines start with, {@code source/fingerprint/}. */
    public static byte[] keyPrefix(String source, String fingerprint) {
        return (source + '/' + fingerprint + '/').getBytes(StandardCharsets.UTF_8);
    }

    /** The key of the line at {@code offset} (not negative) of the file whose keys start with {@code prefix}. */
    public static byte[] key(byte[] prefix, long offset) {
        int digits = 1;
        for (long rest = offset / 10; rest > 0; rest /= 10) {
            digits++;
        }
        byte[] key = Arrays.copyOf(prefix, prefix.length + digits);
        long rest = offset;
        for (int i = key.length - 1; i >= prefix.length; i--) {
            key[i] = (byte) ('0' + rest % 10);
            rest /= 10;
        }
        return key;
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

    /**
     * Reads origins from keys, reusing the source and fingerprint of the previous key when its prefix is the same:
     * a poll's records come in runs of one file, so most keys cost no string. Not thread-safe.
     */
    public static final class OriginReader {
        private byte[] prefix = new byte[0];
        private String source;
        private String fingerprint;

        /** As {@link LineRecords#origin}. */
        public Origin read(byte[] key) {
            if (key == null) {
                return null;
            }
            int last = key.length - 1;
            while (last >= 0 && key[last] != '/') {
                last--;
            }
            if (last <= 0 || !Arrays.equals(key, 0, last + 1, prefix, 0, prefix.length)) {
                Origin origin = origin(key);
                if (origin != null) {
                    prefix = Arrays.copyOf(key, last + 1);
                    source = origin.source();
                    fingerprint = origin.fingerprint();
                }
                return origin;
            }
            long offset = 0;
            for (int i = last + 1; i < key.length; i++) {
                if (key[i] < '0' || key[i] > '9' || offset > (Long.MAX_VALUE - 9) / 10) {
                    return null;
                }
                offset = offset * 10 + (key[i] - '0');
            }
            return last == key.length - 1 ? null : new Origin(source, fingerprint, offset);
        }
    }
}
