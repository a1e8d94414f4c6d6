package io.logferry.rfc5425;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.EncoderException;
import io.netty.util.ResourceLeakDetector;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OctetCountingEncoderTest {

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void prefixesEachMessageWithItsLengthInBytes() {
        assertThat(encode("hello")).isEqualTo("5 hello");
        assertThat(encode("\u00e9".getBytes(StandardCharsets.UTF_8))).isEqualTo("2 \u00e9");
        assertThat(encode("x".repeat(1234))).isEqualTo("1234 " + "x".repeat(1234));
    }

    @Test
    void writesAWholeBatchAsOneBuffer() {
        EmbeddedChannel channel = new EmbeddedChannel(OctetCountingEncoder.INSTANCE);
        List<Object> batch = List.of("one", "two".getBytes(StandardCharsets.US_ASCII), "three and 10 more");

        channel.writeOutbound(batch);
        ByteBuf written = channel.readOutbound();

        assertThat(written.toString(StandardCharsets.UTF_8)).isEqualTo("3 one3 two17 three and 10 more");
        assertThat(written.readableBytes()).isEqualTo(OctetCountingEncoder.encodedLength(batch));
        assertThat((Object) channel.readOutbound()).isNull();
        written.release();
        channel.finishAndReleaseAll();
    }

    @Test
    void releasesAByteBufItFramed() {
        ByteBuf message = PooledByteBufAllocator.DEFAULT.buffer().writeBytes("abc".getBytes(StandardCharsets.US_ASCII));

        assertThat(encode(message)).isEqualTo("3 abc");
        assertThat(message.refCnt()).isZero();
    }

    @Test
    void decodesWhatItEncodes() {
        EmbeddedChannel channel = new EmbeddedChannel(OctetCountingEncoder.INSTANCE);
        channel.writeOutbound(List.of("a b", "12 ", "\n"));
        ByteBuf written = channel.readOutbound();
        byte[] wire = new byte[written.readableBytes()];
        written.readBytes(wire).release();
        channel.finishAndReleaseAll();

        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(FrameLimits.DEFAULT_MAX_FRAME_LENGTH)
                .write(wire).finish();

        assertThat(OctetCountingDecoderTest.texts(outcome.frames())).containsExactly("a b", "12 ", "\n");
    }

    @Test
    void failsTheWriteOfAnEmptyMessage() {
        EmbeddedChannel channel = new EmbeddedChannel(OctetCountingEncoder.INSTANCE);

        assertThatThrownBy(() -> channel.writeOutbound(List.of("fine", "")))
                .isInstanceOf(EncoderException.class)
                .hasMessageContaining("empty syslog message");
        assertThat((Object) channel.readOutbound()).isNull();
        channel.finishAndReleaseAll();
    }

    @Test
    void passesOtherMessagesThrough() {
        EmbeddedChannel channel = new EmbeddedChannel(OctetCountingEncoder.INSTANCE);
        Integer other = 42;

        channel.writeOutbound(other);

        assertThat((Object) channel.readOutbound()).isSameAs(other);
        channel.finishAndReleaseAll();
    }

    private static String encode(Object message) {
        EmbeddedChannel channel = new EmbeddedChannel(OctetCountingEncoder.INSTANCE);
        channel.writeOutbound(message);
        ByteBuf written = channel.readOutbound();
        String text = written.toString(StandardCharsets.UTF_8);
        written.release();
        channel.finishAndReleaseAll();
        return text;
    }
}
