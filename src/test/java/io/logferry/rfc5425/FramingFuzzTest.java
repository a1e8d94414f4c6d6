package io.logferry.rfc5425;

import static org.assertj.core.api.Assertions.assertThat;

import io.logferry.rfc5425.FramingException.Reason;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Throws random and mutated streams, cut into random chunks, at both decoders. Whatever arrives, a decoder may only
 * emit frames within the limit or fail with a {@link FramingException}; it never holds more than the limit plus a
 * count prefix; it releases every buffer; and it gives the same answer as a whole-input reference parser, so the
 * way a stream is cut into reads never changes the outcome.
 */
class FramingFuzzTest {

    private static final long SEED = 0x5EED_F4A3L;
    private static final int INPUTS = 12_000;
    /** A small limit makes "too large" and "exactly the limit" common. */
    private static final int SMALL_MAX = 64;
    private static final byte[] INTERESTING = " 0123456789\n\r<>-\u0000".getBytes(StandardCharsets.ISO_8859_1);

    @BeforeAll
    static void paranoidLeakDetection() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
    }

    @Test
    void octetCountingDecoderOnlyEverFailsWithAFramingExceptionAndStaysBounded() {
        Random random = new Random(SEED);
        int failures = 0;
        Set<Reason> seen = EnumSet.noneOf(Reason.class);
        for (int n = 0; n < INPUTS; n++) {
            int max = random.nextInt(4) == 0 ? FrameLimits.DEFAULT_MAX_FRAME_LENGTH : SMALL_MAX;
            byte[] input = mutate(random, random.nextInt(10) == 0 ? randomBytes(random) : octetStream(random, max));
            DecoderHarness.Outcome outcome = DecoderHarness.octetCounting(max)
                    .writeSplit(input, cuts(random, input.length)).finish();

            Expected expected = referenceOctetCounting(input, max);
            check(outcome, expected, max, FrameLimits.MAX_PREFIX_LENGTH, input, n);
            failures += outcome.failures().size();
            if (outcome.reason() != null) {
                seen.add(outcome.reason());
            }
        }
        // The mutations must actually hit every error path, not only produce valid streams.
        assertThat(failures).isGreaterThan(INPUTS / 4);
        assertThat(seen).containsExactlyInAnyOrder(Reason.values());
    }

    @Test
    void lfDecoderOnlyEverFailsWithAFramingExceptionAndStaysBounded() {
        Random random = new Random(SEED + 1);
        int failures = 0;
        Set<Reason> seen = EnumSet.noneOf(Reason.class);
        for (int n = 0; n < INPUTS; n++) {
            int max = random.nextInt(4) == 0 ? FrameLimits.DEFAULT_MAX_FRAME_LENGTH : SMALL_MAX;
            boolean stripCr = random.nextBoolean();
            byte[] input = mutate(random, random.nextInt(10) == 0 ? randomBytes(random) : lfStream(random, max));
            DecoderHarness.Outcome outcome = DecoderHarness.lf(max, stripCr)
                    .writeSplit(input, cuts(random, input.length)).finish();

            Expected expected = referenceLf(input, max, stripCr);
            check(outcome, expected, max, 2, input, n);
            failures += outcome.failures().size();
            if (outcome.reason() != null) {
                seen.add(outcome.reason());
            }
        }
        assertThat(failures).isGreaterThan(INPUTS / 4);
        assertThat(seen).containsExactlyInAnyOrder(Reason.FRAME_TOO_LARGE, Reason.TRUNCATED);
    }

    private record Expected(List<byte[]> frames, Reason reason) {
    }

    private static void check(DecoderHarness.Outcome outcome, Expected expected, int max, int prefix, byte[] input,
            int n) {
        String what = "input #" + n + " " + Arrays.toString(Arrays.copyOf(input, Math.min(input.length, 80)));
        assertThat(outcome.failures()).as(what).hasSizeLessThanOrEqualTo(1);
        for (Throwable failure : outcome.failures()) {
            assertThat(FramingException.find(failure)).as(what + " threw %s", failure).isNotNull();
        }
        assertThat(outcome.frames()).as(what).allSatisfy(frame -> assertThat(frame.length).isBetween(1, max));
        assertThat(outcome.maxBuffered()).as(what).isLessThanOrEqualTo(max + prefix);
        assertThat(outcome.reason()).as(what).isEqualTo(expected.reason());
        assertThat(outcome.frames()).as(what).containsExactlyElementsOf(expected.frames());
    }

    /** RFC 5425 octet counting over the whole input at once, with the decoder's rules and reasons. */
    private static Expected referenceOctetCounting(byte[] in, int max) {
        List<byte[]> frames = new ArrayList<>();
        int i = 0;
        while (i < in.length) {
            int j = i;
            long count = 0;
            while (true) {
                if (j == in.length) {
                    return new Expected(frames, Reason.TRUNCATED);
                }
                byte b = in[j];
                if (b == ' ' && j > i) {
                    break;
                }
                if (b < '0' || b > '9') {
                    return new Expected(frames, j == i ? Reason.NON_DIGIT_LENGTH : Reason.MISSING_SPACE);
                }
                if (j == i && b == '0') {
                    if (j + 1 == in.length) {
                        return new Expected(frames, Reason.TRUNCATED);
                    }
                    return new Expected(frames, in[j + 1] == ' ' ? Reason.ZERO_LENGTH : Reason.LEADING_ZERO);
                }
                if (j - i == FrameLimits.MAX_COUNT_DIGITS) {
                    return new Expected(frames, Reason.LENGTH_TOO_LONG);
                }
                count = count * 10 + (b - '0');
                j++;
            }
            if (count > max) {
                return new Expected(frames, Reason.FRAME_TOO_LARGE);
            }
            int start = j + 1;
            if (start + count > in.length) {
                return new Expected(frames, Reason.TRUNCATED);
            }
            frames.add(Arrays.copyOfRange(in, start, start + (int) count));
            i = start + (int) count;
        }
        return new Expected(frames, null);
    }

    /** RFC 6587 LF framing over the whole input at once. */
    private static Expected referenceLf(byte[] in, int max, boolean stripCr) {
        List<byte[]> frames = new ArrayList<>();
        int maxLine = max + (stripCr ? 2 : 1);
        int start = 0;
        while (start < in.length) {
            int lf = start;
            while (lf < in.length && in[lf] != '\n') {
                lf++;
            }
            if (lf - start >= maxLine) {
                return new Expected(frames, Reason.FRAME_TOO_LARGE);
            }
            if (lf == in.length) {
                return new Expected(frames, Reason.TRUNCATED);
            }
            int length = stripCr && lf > start && in[lf - 1] == '\r' ? lf - start - 1 : lf - start;
            if (length > max) {
                return new Expected(frames, Reason.FRAME_TOO_LARGE);
            }
            if (length > 0) {
                frames.add(Arrays.copyOfRange(in, start, start + length));
            }
            start = lf + 1;
        }
        return new Expected(frames, null);
    }

    private static byte[] octetStream(Random random, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int frames = 1 + random.nextInt(6); frames > 0; frames--) {
            byte[] payload = payload(random, max, false);
            out.writeBytes((payload.length + " ").getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }

    private static byte[] lfStream(Random random, int max) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int lines = 1 + random.nextInt(6); lines > 0; lines--) {
            out.writeBytes(payload(random, max, true));
            if (random.nextInt(4) == 0) {
                out.write('\r');
            }
            out.write('\n');
        }
        return out.toByteArray();
    }

    /**
     * 1..max bytes, often exactly max or one less under the small limit, drawn mostly from bytes that mean something
     * to a framer. Under the default limit payloads stay short: PARANOID leak detection records every buffer access,
     * which makes 64 KiB frames cut into single bytes far too slow to run thousands of times.
     */
    private static byte[] payload(Random random, int max, boolean withoutLf) {
        int length = switch (max > SMALL_MAX ? 2 : random.nextInt(8)) {
            case 0 -> max;
            case 1 -> max - 1;
            default -> 1 + random.nextInt(Math.min(max, 40));
        };
        byte[] payload = new byte[length];
        for (int i = 0; i < length; i++) {
            byte b = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
            payload[i] = withoutLf && b == '\n' ? (byte) 'n' : b;
        }
        return payload;
    }

    private static byte[] randomBytes(Random random) {
        byte[] bytes = new byte[random.nextInt(200)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextBoolean() ? INTERESTING[random.nextInt(INTERESTING.length)] : (byte) random.nextInt(256);
        }
        return bytes;
    }

    /** None to three mutations: flipped bytes, inserted digits, huge counts, cuts, deletions, garbage. */
    private static byte[] mutate(Random random, byte[] input) {
        byte[] result = input;
        for (int m = random.nextInt(4); m > 0; m--) {
            int at = result.length == 0 ? 0 : random.nextInt(result.length + 1);
            result = switch (random.nextInt(7)) {
                case 0 -> flip(random, result);
                case 1 -> insert(result, at, digits(random, 1 + random.nextInt(3)));
                case 2 -> insert(result, at, (hugeCount(random) + " ").getBytes(StandardCharsets.US_ASCII));
                case 3 -> Arrays.copyOf(result, at);
                case 4 -> delete(result, at, random.nextInt(5));
                case 5 -> insert(result, at, randomBytes(random));
                default -> insert(result, at, new byte[] {INTERESTING[random.nextInt(INTERESTING.length)]});
            };
        }
        return result;
    }

    private static byte[] flip(Random random, byte[] input) {
        if (input.length == 0) {
            return input;
        }
        byte[] copy = input.clone();
        copy[random.nextInt(copy.length)] ^= (byte) (1 + random.nextInt(255));
        return copy;
    }

    private static String hugeCount(Random random) {
        return switch (random.nextInt(4)) {
            case 0 -> "9999999999";
            case 1 -> "4294967296";
            case 2 -> "65537";
            default -> new String(digits(random, 11 + random.nextInt(15)), StandardCharsets.US_ASCII);
        };
    }

    private static byte[] digits(Random random, int count) {
        byte[] digits = new byte[count];
        for (int i = 0; i < count; i++) {
            digits[i] = (byte) ('0' + random.nextInt(10));
        }
        return digits;
    }

    private static byte[] insert(byte[] input, int at, byte[] inserted) {
        byte[] result = new byte[input.length + inserted.length];
        System.arraycopy(input, 0, result, 0, at);
        System.arraycopy(inserted, 0, result, at, inserted.length);
        System.arraycopy(input, at, result, at + inserted.length, input.length - at);
        return result;
    }

    private static byte[] delete(byte[] input, int at, int length) {
        int end = Math.min(input.length, at + length);
        byte[] result = new byte[input.length - (end - at)];
        System.arraycopy(input, 0, result, 0, at);
        System.arraycopy(input, end, result, at, input.length - end);
        return result;
    }

    /** Up to five random cut points, or now and then (for inputs that are not too long) every byte. */
    private static int[] cuts(Random random, int length) {
        if (length > 0 && length <= 1024 && random.nextInt(20) == 0) {
            int[] every = new int[length - 1];
            Arrays.setAll(every, i -> i + 1);
            return every;
        }
        TreeSet<Integer> cuts = new TreeSet<>();
        for (int c = random.nextInt(6); c > 0; c--) {
            cuts.add(random.nextInt(length + 1));
        }
        return cuts.stream().mapToInt(Integer::intValue).toArray();
    }
}
