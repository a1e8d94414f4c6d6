package io.logferry.rfc5425;

import io.logferry.rfc5425.FramingException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an RFC 5425 (and RFC 6587 section 3.4.1) octet-counted stream, {@code MSG-LEN SP SYSLOG-MSG}, into frames.
 *
 * <p>Each frame is emitted as a {@code byte[]} holding the SYSLOG-MSG without its count. A byte array costs one copy
 * out of the cumulation buffer, and that copy is what makes the frame safe to hand on: camel-netty's
 * {@code ServerChannelHandler} is a {@code SimpleChannelInboundHandler} that releases the message when
 * {@code channelRead0} returns, while the exchange may still be travelling through an asynchronous route, so a
 * pooled {@code ByteBuf} body would be read after release. The listener writes the array to its ingest file as it
 * is and decodes only the header it parses; a {@code String} would cost a UTF-8 decode and an encode back.
 *
 * <p>Any violation throws a {@link FramingException} with its {@link Reason}, after which the decoder discards
 * everything it receives: an octet-counted stream cannot be resynchronised, and the pipeline's
 * {@code exceptionCaught} is expected to log, count and close the connection. The decoder never holds more than the
 * current frame's remaining bytes (below the maximum frame length) or an incomplete count prefix (at most
 * {@value FrameLimits#MAX_PREFIX_LENGTH} bytes) between reads, so a peer streaming without boundaries is refused
 * after at most {@value FrameLimits#MAX_PREFIX_LENGTH} bytes.
 *
 * <p>Not sharable: build one per connection (a {@code ChannelHandlerFactory}).
 */
public final class OctetCountingDecoder extends ByteToMessageDecoder implements FrameDecoder {

    private static final int NO_FRAME = -1;
    /** Bytes of a rejected prefix shown in an error message. */
    private static final int SHOWN_BYTES = 16;

    private final int maxFrameLength;
    /** Length of the frame whose count has been read, or {@link #NO_FRAME} while reading a count. */
    private int frameLength = NO_FRAME;
    private boolean failed;

    /** A decoder with the default limit of {@value FrameLimits#DEFAULT_MAX_FRAME_LENGTH} bytes per frame. */
    public OctetCountingDecoder() {
        this(FrameLimits.DEFAULT_MAX_FRAME_LENGTH);
    }

    /** A decoder refusing frames longer than {@code maxFrameLength} bytes (the SYSLOG-MSG, without the count). */
    public OctetCountingDecoder(int maxFrameLength) {
        this.maxFrameLength = FrameLimits.checkMaxFrameLength(maxFrameLength);
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public boolean inFrame() {
        return frameLength != NO_FRAME || actualReadableBytes() > 0;
    }

    /** Bytes received but not yet emitted as a frame; call it on the channel's event loop. */
    public int bufferedBytes() {
        return actualReadableBytes();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (frameLength == NO_FRAME && !readCount(in)) {
            return;
        }
        if (in.readableBytes() < frameLength) {
            return;
        }
        byte[] frame = new byte[frameLength];
        in.readBytes(frame);
        frameLength = NO_FRAME;
        out.add(frame);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        // The base class has already decoded every complete frame; anything left is a frame cut short.
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (frameLength != NO_FRAME) {
            throw fail(in, Reason.TRUNCATED, "connection closed after " + in.readableBytes() + " of "
                    + frameLength + " bytes of a frame");
        }
        if (in.isReadable()) {
            throw fail(in, Reason.TRUNCATED, "connection closed inside a count prefix '"
                    + FrameLimits.printable(in, in.readerIndex(), in.readableBytes(), SHOWN_BYTES) + "'");
        }
    }

    /**
     * Reads {@code MSG-LEN SP} when it is complete, sets {@link #frameLength} and consumes it.
     *
     * @return false when more bytes are needed
     */
    private boolean readCount(ByteBuf in) {
        int start = in.readerIndex();
        int available = Math.min(in.readableBytes(), FrameLimits.MAX_PREFIX_LENGTH);
        long count = 0;
        for (int i = 0; i < available; i++) {
            byte b = in.getByte(start + i);
            if (b == ' ' && i > 0) {
                if (count > maxFrameLength) {
                    throw fail(in, Reason.FRAME_TOO_LARGE, "count " + count + " exceeds the maximum frame length "
                            + maxFrameLength);
                }
                in.skipBytes(i + 1);
                frameLength = (int) count;
                return true;
            }
            if (b < '0' || b > '9') {
                throw fail(in, i == 0 ? Reason.NON_DIGIT_LENGTH : Reason.MISSING_SPACE, "count prefix '"
                        + FrameLimits.printable(in, start, i + 1, SHOWN_BYTES) + "'");
            }
            if (i == 0 && b == '0') {
                return zeroCount(in, start);
            }
            if (i == FrameLimits.MAX_COUNT_DIGITS) {
                throw fail(in, Reason.LENGTH_TOO_LONG, "count prefix '"
                        + FrameLimits.printable(in, start, i + 1, SHOWN_BYTES) + "' has more than "
                        + FrameLimits.MAX_COUNT_DIGITS + " digits");
            }
            count = count * 10 + (b - '0');
        }
        return false;
    }

    /** A count starting with 0 is never valid; one more byte tells an empty frame from a leading zero. */
    private boolean zeroCount(ByteBuf in, int start) {
        if (in.readableBytes() < 2) {
            return false;
        }
        boolean empty = in.getByte(start + 1) == ' ';
        throw fail(in, empty ? Reason.ZERO_LENGTH : Reason.LEADING_ZERO, "count prefix '"
                + FrameLimits.printable(in, start, 2, SHOWN_BYTES) + "'");
    }

    /** Stops decoding for good and drops what is buffered; the caller throws the result. */
    private FramingException fail(ByteBuf in, Reason reason, String detail) {
        failed = true;
        frameLength = NO_FRAME;
        FramingException error = new FramingException(reason, detail);
        in.skipBytes(in.readableBytes());
        return error;
    }
}
