package io.logferry.rfc5425;

import io.netty.handler.codec.CorruptedFrameException;
import java.util.Locale;

/**
 * The peer broke the framing rules; the stream cannot be resynchronised, so the connection must be closed.
 *
 * <p>Extends {@link CorruptedFrameException} (a {@code DecoderException}), which {@code ByteToMessageDecoder}
 * passes to {@code exceptionCaught} as it is, without wrapping it again. The {@link Reason} is a bounded set and
 * can be used as a metric tag; the message says what was seen, but never repeats more than a few bytes of it.
 */
public final class FramingException extends CorruptedFrameException {

    private static final long serialVersionUID = 1L;

    /** Why a stream was refused. */
    public enum Reason {
        /** The frame does not start with a digit (for example LF-framed input sent to the octet-counting port). */
        NON_DIGIT_LENGTH,
        /** The count starts with 0 and has more digits (RFC 5425: {@code MSG-LEN = NONZERO-DIGIT *DIGIT}). */
        LEADING_ZERO,
        /** The count is 0: an empty frame. */
        ZERO_LENGTH,
        /** The count has more than {@value FrameLimits#MAX_COUNT_DIGITS} digits. */
        LENGTH_TOO_LONG,
        /** The digits of the count are followed by a byte other than SP. */
        MISSING_SPACE,
        /** The count, or a line without LF, exceeds the configured maximum frame length. */
        FRAME_TOO_LARGE,
        /** The connection ended inside a frame. */
        TRUNCATED;

        /** The reason as a metric tag value, e.g. {@code frame_too_large}. */
        public String tag() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private final Reason reason;

    public FramingException(Reason reason, String detail) {
        super(reason + ": " + detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }

    /**
     * Returns {@code error} or the first of its causes that is a {@code FramingException}, or {@code null}; for
     * handlers that receive it wrapped (a {@code DecoderException} around it, as Netty wraps other exceptions).
     */
    public static FramingException find(Throwable error) {
        for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof FramingException framing) {
                return framing;
            }
        }
        return null;
    }

    /** No stack trace: a hostile peer can cause these at will, and the reason and message say all there is. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
