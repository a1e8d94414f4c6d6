package io.logferry.json;

/**
 * Writes UTF-8 bytes as the contents of a JSON string (RFC 8259 section 7) without decoding them: bytes that
 * need no escape are copied as they are, {@code "} and {@code \} and control characters are escaped. Bytes
 * that are not well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) make
 * it answer -1, so the caller can decide what to replace and count it: JSON must be valid Unicode.
 */
public final class JsonEscape {

    private static final byte[] HEX = "0123456789ABCDEF".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private JsonEscape() {
    }

    /** True when {@code src[start, start + length)} is well-formed UTF-8 (what JSON and text columns need). */
    public static boolean wellFormed(byte[] src, int start, int length) {
        int end = start + length;
        int i = start;
        while (i < end) {
            if (src[i] >= 0) {
                i++;
            } else {
                int n = sequenceLength(src, i, end);
                if (n < 0) {
                    return false;
                }
                i += n;
            }
        }
        return true;
    }

    /** The most bytes {@link #escape} writes for {@code length} input bytes (a six-byte escape per byte). */
    public static int maxEscapedLength(int length) {
        return length * 6;
    }

    /**
     * Escapes {@code src[start, start + length)} into {@code dst} from {@code at}, which must have room for
     * {@link #maxEscapedLength}. Returns the index after the last byte written, or -1 when the input is not
     * well-formed UTF-8 (then {@code dst} past {@code at} holds garbage).
     */
    public static int escape(byte[] src, int start, int length, byte[] dst, int at) {
        int o = at;
        int end = start + length;
        int i = start;
        while (i < end) {
            byte b = src[i];
            if (b >= 0x20 && b != '"' && b != '\\') {
                dst[o++] = b; // printable ASCII (a signed byte >= 0x20 is below 0x80)
                i++;
            } else if (b < 0) {
                int n = sequenceLength(src, i, end);
                if (n < 0) {
                    return -1;
                }
                System.arraycopy(src, i, dst, o, n);
                o += n;
                i += n;
            } else {
                o = escapeAscii(b, dst, o);
                i++;
            }
        }
        return o;
    }

    private static int escapeAscii(byte b, byte[] dst, int o) {
        dst[o++] = '\\';
        switch (b) {
            case '"', '\\' -> dst[o++] = b;
            case '\n' -> dst[o++] = 'n';
            case '\r' -> dst[o++] = 'r';
            case '\t' -> dst[o++] = 't';
            case '\b' -> dst[o++] = 'b';
            case '\f' -> dst[o++] = 'f';
            default -> {
                dst[o++] = 'u';
                dst[o++] = '0';
                dst[o++] = '0';
                dst[o++] = HEX[b >> 4];
                dst[o++] = HEX[b & 0xF];
            }
        }
        return o;
    }

    /** Length of the well-formed UTF-8 sequence starting with the non-ASCII byte at {@code i}, or -1. */
    static int sequenceLength(byte[] s, int i, int end) {
        int lead = s[i] & 0xFF;
        int n;
        int min = 0x80;
        int max = 0xBF; // the allowed range of the second byte (Unicode table 3-7)
        if (lead >= 0xC2 && lead <= 0xDF) {
            n = 2;
        } else if (lead >= 0xE0 && lead <= 0xEF) {
            n = 3;
            min = lead == 0xE0 ? 0xA0 : 0x80; // no overlong forms
            max = lead == 0xED ? 0x9F : 0xBF; // no surrogates
        } else if (lead >= 0xF0 && lead <= 0xF4) {
            n = 4;
            min = lead == 0xF0 ? 0x90 : 0x80;
            max = lead == 0xF4 ? 0x8F : 0xBF; // nothing above U+10FFFF
        } else {
            return -1;
        }
        if (i + n > end) {
            return -1;
        }
        int second = s[i + 1] & 0xFF;
        if (second < min || second > max) {
            return -1;
        }
        for (int k = 2; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80) {
                return -1;
            }
        }
        return n;
    }
}
