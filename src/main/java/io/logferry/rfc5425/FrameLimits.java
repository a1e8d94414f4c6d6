package io.logferry.rfc5425;

import io.netty.buffer.ByteBuf;

/** The bounds every syslog frame decoder enforces (DESIGN invariant 7: hostile input is bounded). */
public final class FrameLimits {

    /** 64 KiB: RFC 5425 requires receivers to take 2048 octets and recommends 8192; rsyslog's default is 8 KiB. */
    public static final int DEFAULT_MAX_FRAME_LENGTH = 64 * 1024;

    /**
     * At most 10 digits in an octet count. RFC 5425 and RFC 6587 put no bound on {@code MSG-LEN}; this one is ours,
     * and 10 digits already hold every {@code int} length.
     */
    public static final int MAX_COUNT_DIGITS = 10;

    /** The longest octet-count prefix: {@value #MAX_COUNT_DIGITS} digits and the SP. */
    public static final int MAX_PREFIX_LENGTH = MAX_COUNT_DIGITS + 1;

    private FrameLimits() {
    }

    /** Returns {@code maxFrameLength} when it is positive, and says what to set otherwise. */
    public static int checkMaxFrameLength(int maxFrameLength) {
        if (maxFrameLength < 1) {
            throw new IllegalArgumentException("maxFrameLength must be at least 1 byte, got " + maxFrameLength
                    + " (default " + DEFAULT_MAX_FRAME_LENGTH + ")");
        }
        return maxFrameLength;
    }

    /** Up to {@code max} bytes of {@code in} from {@code from} as printable ASCII, others as {@code \xNN}, for error messages. */
    static String printable(ByteBuf in, int from, int length, int max) {
        StringBuilder text = new StringBuilder();
        int shown = Math.min(length, max);
        for (int i = 0; i < shown; i++) {
            int b = in.getByte(from + i) & 0xFF;
            if (b >= 0x20 && b < 0x7F && b != '\\') {
                text.append((char) b);
            } else {
                text.append(String.format("\\x%02X", b));
            }
        }
        if (length > max) {
            text.append("...");
        }
        return text.toString();
    }
}
