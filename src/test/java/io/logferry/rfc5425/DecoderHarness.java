package io.logferry.rfc5425;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntSupplier;

/**
 * Feeds chunks to a decoder in an {@link EmbeddedChannel} and records what came out: the frames, the first
 * exceptions, and the most bytes the decoder held between reads. Every input buffer comes from the pooled (leak
 * tracked) allocator and must be released by the decoder; {@link #finish} checks that.
 */
final class DecoderHarness {

    /** What one run produced. */
    record Outcome(List<byte[]> frames, List<Throwable> failures, int maxBuffered) {

        /** The first failure as a FramingException, unwrapped; null when there was none. */
        FramingException framing() {
            return failures.isEmpty() ? null : FramingException.find(failures.get(0));
        }

        FramingException.Reason reason() {
            FramingException framing = framing();
            return framing == null ? null : framing.reason();
        }
    }

    private final EmbeddedChannel channel;
    private final IntSupplier buffered;
    private final List<ByteBuf> inputs = new ArrayList<>();
    private final List<byte[]> frames = new ArrayList<>();
    private final List<Throwable> failures = new ArrayList<>();
    private int maxBuffered;

    DecoderHarness(ChannelHandler decoder, IntSupplier buffered) {
        this.channel = new EmbeddedChannel(decoder);
        this.buffered = buffered;
    }

    static DecoderHarness octetCounting(int maxFrameLength) {
        OctetCountingDecoder decoder = new OctetCountingDecoder(maxFrameLength);
        return new DecoderHarness(decoder, decoder::bufferedBytes);
    }

    static DecoderHarness lf(int maxFrameLength, boolean stripCr) {
        LfFrameDecoder decoder = new LfFrameDecoder(maxFrameLength, stripCr);
        return new DecoderHarness(decoder, decoder::bufferedBytes);
    }

    /** Writes one chunk; a failure is recorded, not thrown. */
    DecoderHarness write(byte[] bytes, int from, int to) {
        ByteBuf chunk = PooledByteBufAllocator.DEFAULT.buffer(Math.max(1, to - from));
        chunk.writeBytes(bytes, from, to - from);
        inputs.add(chunk);
        try {
            channel.writeInbound(chunk);
        } catch (DecoderException e) {
            record(e);
        }
        drain();
        maxBuffered = Math.max(maxBuffered, buffered.getAsInt());
        return this;
    }

    DecoderHarness write(byte[] bytes) {
        return write(bytes, 0, bytes.length);
    }

    /** Writes {@code bytes} cut at the given ascending offsets. */
    DecoderHarness writeSplit(byte[] bytes, int... cuts) {
        int from = 0;
        for (int cut : cuts) {
            write(bytes, from, cut);
            from = cut;
        }
        return write(bytes, from, bytes.length);
    }

    /** Ends the input (the peer closed) and checks no input buffer was leaked. */
    Outcome finish() {
        try {
            channel.finish();
        } catch (DecoderException e) {
            record(e);
        }
        drain();
        channel.finishAndReleaseAll();
        for (ByteBuf input : inputs) {
            assertThat(input.refCnt()).as("input buffer released by the decoder").isZero();
        }
        return new Outcome(frames, failures, maxBuffered);
    }

    private void record(Throwable error) {
        failures.add(error);
    }

    private void drain() {
        for (Object frame = channel.readInbound(); frame != null; frame = channel.readInbound()) {
            frames.add((byte[]) frame);
        }
    }
}
