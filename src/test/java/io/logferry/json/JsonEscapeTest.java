package io.logferry.json;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class JsonEscapeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static String escaped(byte[] input) {
        byte[] out = new byte[JsonEscape.maxEscapedLength(input.length)];
        int end = JsonEscape.escape(input, 0, input.length, out, 0);
        return end < 0 ? null : new String(out, 0, end, StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @ValueSource(strings = {"plain ascii", "quote \" and backslash \\", "tab\tnew\nline\rcr\bbs\fff",
            "\u0000\u0001\u001f\u007f", "é ü ß ✓ 𝄞 €", "</script> / 'single'", ""})
    void escapedTextReadsBackAsTheSameString(String text) throws Exception {
        String json = "\"" + escaped(text.getBytes(StandardCharsets.UTF_8)) + "\"";
        assertThat(JSON.readValue(json, String.class)).isEqualTo(text);
    }

    @Test
    void writesWhatJacksonWritesForValidText() {
        Random random = new Random(8259);
        for (int n = 0; n < 2_000; n++) {
            StringBuilder text = new StringBuilder();
            for (int i = random.nextInt(40); i > 0; i--) {
                int cp = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(0x80);
                    case 1 -> 0x80 + random.nextInt(0x780);
                    case 2 -> 0xE000 + random.nextInt(0x1000);
                    default -> 0x10000 + random.nextInt(0x1000);
                };
                text.appendCodePoint(cp);
            }
            String expected = new String(JsonStringEncoder.getInstance().quoteAsUTF8(text.toString()),
                    StandardCharsets.UTF_8);
            assertThat(escaped(text.toString().getBytes(StandardCharsets.UTF_8)))
                    .as("escaping %s", text).isEqualTo(expected);
        }
    }

    @Test
    void refusesBytesThatAreNotWellFormedUtf8() {
        byte[][] invalid = {
                {(byte) 0xC3, '('},                      // a lead byte without its continuation
                {(byte) 0xFF},                           // never in UTF-8
                {(byte) 0xC0, (byte) 0xAF},              // overlong '/'
                {(byte) 0xE0, (byte) 0x80, (byte) 0xAF}, // overlong three-byte form
                {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, // a UTF-16 surrogate
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
                {'a', (byte) 0xE2, (byte) 0x82},         // cut short at the end
                {(byte) 0x80},                           // a lone continuation byte
        };
        for (byte[] bytes : invalid) {
            assertThat(escaped(bytes)).as(Arrays.toString(bytes)).isNull();
        }
    }

    @Test
    void escapesOnlyTheGivenSliceAtTheGivenPosition() {
        byte[] chunk = "xx\"a\"yy".getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[32];
        out[0] = '[';
        int end = JsonEscape.escape(chunk, 2, 3, out, 1);
        assertThat(new String(out, 0, end, StandardCharsets.US_ASCII)).isEqualTo("[\\\"a\\\"");
    }

    @org.junit.jupiter.api.Test
    void wellFormedTellsUtf8FromLatin1AndBrokenSequences() {
        byte[] utf8 = "café ü 𝄞".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        org.assertj.core.api.Assertions.assertThat(JsonEscape.wellFormed(utf8, 0, utf8.length)).isTrue();
        byte[] latin1 = "café".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        org.assertj.core.api.Assertions.assertThat(JsonEscape.wellFormed(latin1, 0, latin1.length)).isFalse();
        byte[] cut = java.util.Arrays.copyOf(utf8, utf8.length - 1);
        org.assertj.core.api.Assertions.assertThat(JsonEscape.wellFormed(cut, 0, cut.length)).isFalse();
    }
}
