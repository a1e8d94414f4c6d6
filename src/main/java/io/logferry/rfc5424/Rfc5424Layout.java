package io.logferry.rfc5424;

import java.util.function.IntUnaryOperator;

/**
 * Finds where the structured data of an RFC 5424 message starts, without parsing the rest: {@code <PRI>VERSION}
 * and five space-separated header fields come first. Framing code uses it to insert or read an SD-ELEMENT at
 * wire speed; {@link Rfc5424Parser} does the full parse.
 */
public final class Rfc5424Layout {

    private static final int HEADER_FIELDS = 6; // PRI+VERSION, TIMESTAMP, HOSTNAME, APP-NAME, PROCID, MSGID

    private Rfc5424Layout() {
    }

    /**
     * The index of the first byte of STRUCTURED-DATA ({@code -} or {@code [}) in the first {@code length} bytes
     * of {@code message}, or -1 when they do not start like an RFC 5424 message.
     */
    public static int structuredDataStart(byte[] message, int length) {
        return structuredDataStart(message, 0, length);
    }

    /** The same for the bytes {@code buf[start, start + length)}; the answer counts from {@code start}. */
    public static int structuredDataStart(byte[] buf, int start, int length) {
        return structuredDataStart(i -> buf[start + i], length);
    }

    /** The same for a line of text: the header is ASCII, so the char index is also the byte index. */
    public static int structuredDataStart(CharSequence message) {
        return structuredDataStart(message::charAt, message.length());
    }

    private static int structuredDataStart(IntUnaryOperator at, int length) {
        if (length < 4 || at.applyAsInt(0) != '<') {
            return -1;
        }
        int i = 1;
        while (i < length && i <= 4 && isDigit(at.applyAsInt(i))) {
            i++;
        }
        if (i == 1 || i + 1 >= length || at.applyAsInt(i) != '>' || !isDigit(at.applyAsInt(i + 1))
                || at.applyAsInt(i + 1) == '0') {
            return -1;
        }
        int fields = 0;
        for (; i < length; i++) {
            int c = at.applyAsInt(i);
            if (c == ' ' && ++fields == HEADER_FIELDS) {
                int sd = i + 1;
                if (sd < length && (at.applyAsInt(sd) == '[' || at.applyAsInt(sd) == '-')) {
                    return sd;
                }
                return -1;
            }
            if (c > 126) {
                return -1; // the header is PRINTUSASCII
            }
        }
        return -1;
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }
}
