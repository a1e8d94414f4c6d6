package io.logferry.rfc5424;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class OriginTest {

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void findsTheOriginElementFirstOrAmongOtherElements() {
        Origin origin = new Origin("0b3ec5eb96813783", 12_345);
        assertThat(Origin.find(bytes("<134>1 2026-11-23T10:00:00Z h app 1 MSG " + origin.element() + " text")))
                .isEqualTo(origin);
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG [meta@1 seq=\"7\"]" + origin.element() + " text")))
                .isEqualTo(origin);
    }

    @Test
    void ignoresTheElementWhenItIsOnlyQuotedInTheMessageOrInsideAParameterValue() {
        String element = new Origin("abc", 5).element();
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG - said " + element))).isNull();
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG [meta@1 x=\"" + element.replace("\"", "\\\"")
                + "\"] text"))).isNull();
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG [meta@1 x=\"1\"] " + element))).isNull();
    }

    @Test
    void malformedOriginsAndNonSyslogFramesHaveNone() {
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG [origin@32473 file=\"abc\" off=\"x\"] t"))).isNull();
        assertThat(Origin.find(bytes("<134>1 - h app 1 MSG [origin@32473 file=\"abc\" off=\"12\" t"))).isNull();
        assertThat(Origin.find(bytes("plain text [origin@32473 file=\"abc\" off=\"12\"]"))).isNull();
        assertThat(Origin.find(bytes(""))).isNull();
    }

    @Test
    void anOffsetThatDoesNotFitALongIsInvalidNotAnOffset() {
        String frame = "<134>1 - h app 1 MSG [origin@32473 file=\"abc\" off=\"%s\"] t";
        assertThat(Origin.find(bytes(frame.formatted(Long.MAX_VALUE)))).isEqualTo(new Origin("abc", Long.MAX_VALUE));
        assertThat(Origin.find(bytes(frame.formatted("9223372036854775808")))).isSameAs(Origin.INVALID);
        assertThat(Origin.find(bytes(frame.formatted("99999999999999999999999")))).isSameAs(Origin.INVALID);
        assertThat(Origin.INVALID.valid()).isFalse();
        assertThat(new Origin("abc", 1).valid()).isTrue();
    }

    @Test
    void writesTheSameBytesAsTheElementTextWithoutBuildingIt() {
        for (long offset : new long[] {0, 9, 10, 12_345, Long.MAX_VALUE}) {
            Origin origin = new Origin("0b3ec5eb96813783@42", offset);
            ByteBuf out = Unpooled.buffer(4);
            out.writeByte('x');
            Origin.writeElement(origin.file(), origin.offset(), out);
            assertThat(out.toString(1, out.readableBytes() - 1, StandardCharsets.US_ASCII))
                    .as("offset %d", offset).isEqualTo(origin.element());
            assertThat(Origin.elementLength(origin.file(), origin.offset())).isEqualTo(origin.element().length());
        }
    }
}
