package io.logferry.rfc5425;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logferry.rfc5425.FramingException.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OctetCountingDecoderTest {

    private static final int MAX = FrameLimits.DEFAULT_MAX_FRAME_LENGTH;

    /** Payloads that look like framing: digits, SP, LF, CR, a leading digit run, UTF-8. */
    private static final List<String> PAYLOADS = List.of(
            "<34>1 2003-10-11T22:14:15.003Z mymachine.example.com su - ID47 - 'su root' failed",
            "12 34 ",
            "x",
            "line one\nline two\r\n",
            "\u00e9t\u00e9 \u2603 snowman",
            "9");

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void decodesEachFrameWithoutItsCount() {
        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX).write(stream(PAYLOADS)).finish();

        assertThat(outcome.failures()).isEmpty();
        assertThat(texts(outcome.frames())).containsExactlyElementsOf(PAYLOADS);
    }

    @Test
    void decodesTheSameFramesWhateverByteBoundaryTheStreamIsSplitAt() {
        byte[] stream = stream(PAYLOADS);
        for (int cut = 0; cut <= stream.length; cut++) {
            DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX).writeSplit(stream, cut).finish();

            assertThat(outcome.failures()).as("split at %d", cut).isEmpty();
            assertThat(texts(outcome.frames())).as("split at %d", cut).containsExactlyElementsOf(PAYLOADS);
        }
    }

    @Test
    void decodesTheSameFramesWhateverTwoByteBoundariesTheStreamIsSplitAt() {
        byte[] stream = stream(List.of("12 34 ", "x", "ab cd", "9"));
        for (int first = 0; first <= stream.length; first++) {
            for (int second = first; second <= stream.length; second++) {
                DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX)
                        .writeSplit(stream, first, second).finish();

                assertThat(outcome.failures()).as("split at %d and %d", first, second).isEmpty();
                assertThat(texts(outcome.frames())).containsExactly("12 34 ", "x", "ab cd", "9");
            }
        }
    }

    @Test
    void decodesAStreamArrivingOneByteAtATime() {
        byte[] stream = stream(PAYLOADS);
        DecoderHarness harness = DecoderHarness.octetCounting(MAX);
        for (int i = 0; i < stream.length; i++) {
            harness.write(stream, i, i + 1);
        }

        assertThat(texts(harness.finish().frames())).containsExactlyElementsOf(PAYLOADS);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "abc|NON_DIGIT_LENGTH",
        "' 5 hello'|NON_DIGIT_LENGTH",
        "-5 hello|NON_DIGIT_LENGTH",
        "<34>1 - - - - - -\\n|NON_DIGIT_LENGTH",
        "05 hello|LEADING_ZERO",
        "00|LEADING_ZERO",
        "'0 '|ZERO_LENGTH",
        "12345678901 x|LENGTH_TOO_LONG",
        "99999999999999999999|LENGTH_TOO_LONG",
        "12a45 hello|MISSING_SPACE",
        "5\\nhello|MISSING_SPACE",
        "'65537 '|FRAME_TOO_LARGE",
        "'9999999999 '|FRAME_TOO_LARGE",
    })
    void refusesAViolationWithItsReason(String input, Reason reason) {
        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX)
                .write(bytes(input.replace("\\n", "\n"))).finish();

        assertThat(outcome.frames()).isEmpty();
        assertThat(outcome.failures()).hasSize(1);
        assertThat(outcome.reason()).isEqualTo(reason);
    }

    @Test
    void throwsTheFramingExceptionItselfNotWrapped() {
        EmbeddedChannel channel = new EmbeddedChannel(new OctetCountingDecoder());

        assertThatThrownBy(() -> channel.writeInbound(Unpooled.copiedBuffer("x", StandardCharsets.US_ASCII)))
                .isInstanceOf(FramingException.class)
                .hasMessageStartingWith("NON_DIGIT_LENGTH: count prefix 'x'");
        channel.finishAndReleaseAll();
    }

    @Test
    void deliversTheFramesBeforeAViolationAndNothingAfterIt() {
        byte[] good = stream(List.of("one", "two"));
        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX)
                .write(concat(good, bytes("x5 bad"), stream(List.of("three"))))
                .write(stream(List.of("four")))
                .finish();

        assertThat(texts(outcome.frames())).containsExactly("one", "two");
        assertThat(outcome.failures()).hasSize(1);
        assertThat(outcome.reason()).isEqualTo(Reason.NON_DIGIT_LENGTH);
    }

    @Test
    void acceptsAFrameOfExactlyTheMaximumLength() {
        int max = 100;
        byte[] payload = new byte[max];
        Arrays.fill(payload, (byte) 'a');

        DecoderHarness.Outcome accepted = DecoderHarness.octetCounting(max).write(frame(payload)).finish();
        DecoderHarness.Outcome refused = DecoderHarness.octetCounting(max)
                .write(frame(Arrays.copyOf(payload, max + 1))).finish();

        assertThat(accepted.frames()).singleElement().isEqualTo(payload);
        assertThat(refused.frames()).isEmpty();
        assertThat(refused.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {"'10 abc'", "12", "'5 '", "0", "'3 ab'"})
    void reportsAFrameCutShortByTheEndOfTheConnectionAsTruncated(String input) {
        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX).write(bytes(input)).finish();

        assertThat(outcome.frames()).isEmpty();
        assertThat(outcome.reason()).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void endsQuietlyWhenTheConnectionClosesBetweenFrames() {
        DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(MAX).write(stream(List.of("a"))).finish();

        assertThat(outcome.failures()).isEmpty();
        assertThat(texts(outcome.frames())).containsExactly("a");
    }

    @Test
    void holdsNoMoreThanTheFrameBeingReceived() {
        int max = 100;
        byte[] payload = new byte[max];
        Arrays.fill(payload, (byte) '7');
        byte[] stream = concat(frame(payload), frame(payload));
        DecoderHarness harness = DecoderHarness.octetCounting(max);
        for (int i = 0; i < stream.length; i++) {
            harness.write(stream, i, i + 1);
        }
        DecoderHarness.Outcome outcome = harness.finish();

        assertThat(outcome.frames()).hasSize(2);
        assertThat(outcome.maxBuffered()).isLessThan(max);
    }

    @Test
    void refusesAHundredMegabytesWithoutABoundaryAtTheFirstBytes() {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, (byte) '1');
        OctetCountingDecoder decoder = new OctetCountingDecoder();
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        int refusedAt = -1;
        for (int i = 0; i < 1600; i++) { // 1600 x 64 KiB = 100 MiB
            ByteBuf buffer = Unpooled.wrappedBuffer(chunk);
            try {
                channel.writeInbound(buffer);
            } catch (FramingException e) {
                assertThat(e.reason()).isEqualTo(Reason.LENGTH_TOO_LONG);
                refusedAt = refusedAt < 0 ? i : refusedAt;
            }
            assertThat(buffer.refCnt()).isZero();
            assertThat(decoder.bufferedBytes()).isZero();
        }
        channel.finishAndReleaseAll();

        assertThat(refusedAt).isZero();
    }

    @Test
    void refusesAMaximumFrameLengthBelowOne() {
        assertThatThrownBy(() -> new OctetCountingDecoder(0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 1 byte");
    }

    static byte[] stream(List<String> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String payload : payloads) {
            out.writeBytes(frame(payload.getBytes(StandardCharsets.UTF_8)));
        }
        return out.toByteArray();
    }

    static byte[] frame(byte[] payload) {
        return concat(bytes(payload.length + " "), payload);
    }

    static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static List<String> texts(List<byte[]> frames) {
        return frames.stream().map(frame -> new String(frame, StandardCharsets.UTF_8)).toList();
    }
}
