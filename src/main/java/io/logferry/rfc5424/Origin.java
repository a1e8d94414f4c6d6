package io.logferry.rfc5424;

import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Where a forwarded line came from, carried inside the frame as an RFC 5424 SD-ELEMENT
 * {@code [origin@32473 file="<file identity>" off="<byte offset>"]}, so a listener can keep a high-water mark per
 * (client certificate, file) and drop what it already stored. 32473 is the private enterprise number RFC 5612
 * reserves for documentation; the element is meaningful between logferry hosts only, and other receivers keep
 * it as structured data.
 *
 * @param file   the tail's identity of the file (fingerprint, or fingerprint@inode for copies)
 * @param offset the byte offset of the line's first byte in that file
 */
public record Origin(String file, long offset) {

    /** What {@link #find} returns for an origin element whose offset does not fit a long (a hostile client). */
    public static final Origin INVALID = new Origin("", -1);

    public static final String SD_ID = "origin@32473";
    private static final byte[] MARKER = ("[" + SD_ID + " file=\"").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OFFSET = "\" off=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "\"]".getBytes(StandardCharsets.US_ASCII);

    /** The SD-ELEMENT text; the file identity never holds '"', '\' or ']' (hex, '@' and digits). */
    public String element() {
        return "[" + SD_ID + " file=\"" + file + "\" off=\"" + offset + "\"]";
    }

    /** The length in bytes of {@link #element()} of this file and offset (0 or more), without building it. */
    public static int elementLength(String file, long offset) {
        return MARKER.length + file.length() + OFFSET.length + digits(offset) + END.length;
    }

    /** Writes the bytes of {@link #element()} of this file and offset into {@code out}, without building it. */
    public static void writeElement(String file, long offset, ByteBuf out) {
        out.writeBytes(MARKER);
        out.writeCharSequence(file, StandardCharsets.US_ASCII);
        out.writeBytes(OFFSET);
        int digits = digits(offset);
        int at = out.writerIndex();
        out.ensureWritable(digits);
        long v = offset;
        for (int i = digits - 1; i >= 0; i--) {
            out.setByte(at + i, (int) ('0' + v % 10));
            v /= 10;
        }
        out.writerIndex(at + digits);
        out.writeBytes(END);
    }

    private static int digits(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
    }

    /**
     * The origin in an RFC 5424 frame, or null when the frame has none or it is malformed, or {@link #INVALID}
     * when its offset is more than 19 digits or overflows a long (never a real offset: the caller must not use it
     * to drop the frame). Only the structured data part is searched, so a message text that quotes the element is
     * not taken for one.
     */
    public static Origin find(byte[] frame) {
        int sd = Rfc5424Layout.structuredDataStart(frame, frame.length);
        if (sd < 0 || frame[sd] != '[') {
            return null;
        }
        int at = indexOf(frame, MARKER, sd);
        if (at < 0 || !insideStructuredData(frame, sd, at)) {
            return null;
        }
        int fileStart = at + MARKER.length;
        int fileEnd = indexOf(frame, (byte) '"', fileStart);
        if (fileEnd <= fileStart || !startsWith(frame, OFFSET, fileEnd)) {
            return null;
        }
        int digit = fileEnd + OFFSET.length;
        long offset = 0;
        int digits = 0;
        boolean overflow = false;
        while (digit < frame.length && frame[digit] >= '0' && frame[digit] <= '9') {
            int d = frame[digit++] - '0';
            overflow |= offset > (Long.MAX_VALUE - d) / 10;
            offset = offset * 10 + d;
            digits++;
        }
        if (overflow && digit + 1 < frame.length && frame[digit] == '"' && frame[digit + 1] == ']') {
            return INVALID;
        }
        if (digits == 0 || digit + 1 >= frame.length || frame[digit] != '"' || frame[digit + 1] != ']') {
            return null;
        }
        return new Origin(new String(frame, fileStart, fileEnd - fileStart, StandardCharsets.US_ASCII), offset);
    }

    /** False for {@link #INVALID}. */
    public boolean valid() {
        return this != INVALID;
    }

    /** True when every element between the SD start and {@code at} is closed, i.e. {@code at} starts one. */
    private static boolean insideStructuredData(byte[] frame, int sd, int at) {
        boolean quoted = false;
        int depth = 0;
        for (int i = sd; i < at; i++) {
            byte b = frame[i];
            if (quoted) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    quoted = false;
                }
            } else if (b == '"') {
                quoted = true;
            } else if (b == '[') {
                depth++;
            } else if (b == ']') {
                depth--;
            } else if (depth == 0) {
                return false; // the structured data ended: the rest is the message
            }
        }
        return !quoted && depth == 0;
    }

    private static int indexOf(byte[] data, byte[] needle, int from) {
        outer:
        for (int i = from; i <= data.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (data[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static int indexOf(byte[] data, byte b, int from) {
        for (int i = from; i < data.length; i++) {
            if (data[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWith(byte[] data, byte[] prefix, int at) {
        if (at + prefix.length > data.length) {
            return false;
        }
        for (int j = 0; j < prefix.length; j++) {
            if (data[at + j] != prefix[j]) {
                return false;
            }
        }
        return true;
    }
}
