package io.logferry.rfc5425;

import static io.logferry.rfc5425.OctetCountingDecoderTest.bytes;
import static io.logferry.rfc5425.OctetCountingDecoderTest.texts;
import static org.assertj.core.api.Assertions.assertThat;

import io.logferry.rfc5425.FramingException.Reason;
import io.netty.util.ResourceLeakDetector;
import java.util.Arrays;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class LfFrameDecoderTest {

    private static final int MAX = FrameLimits.DEFAULT_MAX_FRAME_LENGTH;
    private static final String STREAM = "<34>1 - host app - - - first\n12 not a count\r\n\n\u00e9\u2603\nlast\n";

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void splitsAtEachLfAndSkipsEmptyLines() {
        DecoderHarness.Outcome outcome = DecoderHarness.lf(MAX, false).write(bytes(STREAM)).finish();

        assertThat(outcome.failures()).isEmpty();
        assertThat(texts(outcome.frames()))
                .containsExactly("<34>1 - host app - - - first", "12 not a count\r", "\u00e9\u2603", "last");
    }

    @Test
    void stripsTheCrOfACrLfWhenAskedTo() {
        DecoderHarness.Outcome outcome = DecoderHarness.lf(MAX, true).write(bytes("a\r\nb\rc\r\n\r\n")).finish();

        assertThat(texts(outcome.frames())).containsExactly("a", "b\rc");
    }

    @Test
    void decodesTheSameFramesWhateverByteBoundaryTheStreamIsSplitAt() {
        byte[] stream = bytes(STREAM);
        for (int cut = 0; cut <= stream.length; cut++) {
            for (int second = cut; second <= stream.length; second++) {
                DecoderHarness.Outcome outcome = DecoderHarness.lf(MAX, true).writeSplit(stream, cut, second).finish();

                assertThat(outcome.failures()).as("split at %d and %d", cut, second).isEmpty();
                assertThat(texts(outcome.frames())).as("split at %d and %d", cut, second)
                        .containsExactly("<34>1 - host app - - - first", "12 not a count", "\u00e9\u2603", "last");
            }
        }
    }

    @Test
    void acceptsALineOfExactlyTheMaximumLengthAndRefusesALongerOne() {
        int max = 50;
        byte[] line = new byte[max];
        Arrays.fill(line, (byte) 'a');
        String exact = new String(line) + "\n";

        assertThat(DecoderHarness.lf(max, false).write(bytes(exact)).finish().frames()).hasSize(1);
        assertThat(DecoderHarness.lf(max, true).write(bytes(new String(line) + "\r\n")).finish().frames())
                .singleElement().isEqualTo(line);
        assertThat(DecoderHarness.lf(max, false).write(bytes("a" + exact)).finish().reason())
                .isEqualTo(Reason.FRAME_TOO_LARGE);
        assertThat(DecoderHarness.lf(max, true).write(bytes("a" + exact)).finish().reason())
                .isEqualTo(Reason.FRAME_TOO_LARGE);
    }

    @Test
    void refusesALineWithoutLfOnceItPassesTheMaximumAndHoldsNoMore() {
        int max = 100;
        DecoderHarness harness = DecoderHarness.lf(max, false);
        byte[] noLf = new byte[10 * max];
        Arrays.fill(noLf, (byte) 'x');
        for (int i = 0; i < noLf.length; i++) {
            harness.write(noLf, i, i + 1);
        }
        DecoderHarness.Outcome outcome = harness.finish();

        assertThat(outcome.frames()).isEmpty();
        assertThat(outcome.failures()).hasSize(1);
        assertThat(outcome.reason()).isEqualTo(Reason.FRAME_TOO_LARGE);
        assertThat(outcome.maxBuffered()).isLessThanOrEqualTo(max + 1);
    }

    @Test
    void reportsALineCutShortByTheEndOfTheConnectionAsTruncated() {
        DecoderHarness.Outcome outcome = DecoderHarness.lf(MAX, false).write(bytes("whole\npart")).finish();

        assertThat(texts(outcome.frames())).containsExactly("whole");
        assertThat(outcome.reason()).isEqualTo(Reason.TRUNCATED);
    }
}
