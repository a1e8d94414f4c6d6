package io.logferry.rfc5425;

import io.logferry.rfc5425.FramingException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits an RFC 6587 section 3.4.2 non-transparently framed stream ({@code SYSLOG-MSG LF}) into frames.
 *
 * <p>Frames are {@code byte[]} without the LF (and, with {@code stripCr}, without a CR right before it), for the
 * reasons given on {@link OctetCountingDecoder}. Empty lines carry no message and are skipped. A line longer than
 * the maximum frame length is refused as soon as that many bytes arrived without an LF
 * ({@link Reason#FRAME_TOO_LARGE}), and bytes left without an LF when the connection ends are reported as
 * {@link Reason#TRUNCATED}: a peer that closes mid-line may have been cut off, and with octet counting that is
 * the same rule. After a violation everything further is discarded; the pipeline must close the connection.
 *
 * <p>Not sharable: build one per connection.
 */
public final class LfFrameDecoder extends ByteToMessageDecoder implements FrameDecoder {

    private static final byte LF = '\n';
    private static final byte CR = '\r';
    private static final int SHOWN_BYTES = 16;

    private final int maxFrameLength;
    private final boolean stripCr;
    /** Longest line, terminator included, that can still become a valid frame. */
    private final int maxLineLength;
    /** Bytes at the start of the buffer already known to hold no LF, so a slow line is not searched twice. */
    private int searched;
    private boolean failed;

    /** LF framing with the default limit, keeping a CR before the LF as part of the frame. */
    public LfFrameDecoder() {
        this(FrameLimits.DEFAULT_MAX_FRAME_LENGTH, false);
    }

    /**
     * @param maxFrameLength longest frame in bytes, without the terminator
     * @param stripCr whether a CR right before the LF is dropped too (CRLF senders)
     */
    public LfFrameDecoder(int maxFrameLength, boolean stripCr) {
        this.maxFrameLength = FrameLimits.checkMaxFrameLength(maxFrameLength);
        this.stripCr = stripCr;
        this.maxLineLength = (int) Math.min(Integer.MAX_VALUE, (long) maxFrameLength + (stripCr ? 2 : 1));
    }

    public int maxFrameLength() {
        return maxFrameLength;
    }

    @Override
    public boolean inFrame() {
        return actualReadableBytes() > 0;
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
        int start = in.readerIndex();
        int window = Math.min(in.readableBytes(), maxLineLength);
        int lf = in.indexOf(start + searched, start + window, LF);
        if (lf < 0) {
            if (window == maxLineLength) {
                throw fail(in, Reason.FRAME_TOO_LARGE, "no LF within " + maxLineLength + " bytes (maximum frame length "
                        + maxFrameLength + ")");
            }
            searched = window;
            return;
        }
        searched = 0;
        int lineLength = lf - start;
        int frameLength = stripCr && lineLength > 0 && in.getByte(lf - 1) == CR ? lineLength - 1 : lineLength;
        if (frameLength > maxFrameLength) {
            throw fail(in, Reason.FRAME_TOO_LARGE, "line of " + frameLength + " bytes exceeds the maximum frame length "
                    + maxFrameLength);
        }
        if (frameLength > 0) {
            byte[] frame = new byte[frameLength];
            in.readBytes(frame);
            out.add(frame);
        }
        in.readerIndex(lf + 1);
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.isReadable()) {
            throw fail(in, Reason.TRUNCATED, "connection closed inside a line of " + in.readableBytes() + " bytes '"
                    + FrameLimits.printable(in, in.readerIndex(), in.readableBytes(), SHOWN_BYTES) + "'");
        }
    }

    private FramingException fail(ByteBuf in, Reason reason, String detail) {
        failed = true;
        searched = 0;
        FramingException error = new FramingException(reason, detail);
        in.skipBytes(in.readableBytes());
        return error;
    }
}
