package io.logferry.sink.syslog;

import io.logferry.batch.LogLine;
import io.logferry.rfc5424.Origin;
import io.logferry.rfc5424.Rfc5424Parser;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class FrameWriterTest {

    private static String written(FrameWriter writer, LogLine line) {
        ByteBuf out = Unpooled.buffer();
        int length = writer.write(line, out);
        assertThat(length).isEqualTo(out.readableBytes());
        return out.toString(StandardCharsets.UTF_8);
    }

    private static LogLine line(String text) {
        return new LogLine("web-01", "/var/log/app.log", "0b3ec5eb96813783", 4096, text);
    }

    @Test
    void insertsTheOriginInFrontOfTheStructuredDataAndCountsUtf8Bytes() {
        String text = "<134>1 2026-11-23T10:00:00Z h app 1 MSG [meta@1 seq=\"1\"] grüße";
        String frame = written(new FrameWriter(true, true), line(text));
        String message = "<134>1 2026-11-23T10:00:00Z h app 1 MSG " + new Origin("0b3ec5eb96813783", 4096).element()
                + "[meta@1 seq=\"1\"] grüße";
        assertThat(frame).isEqualTo(message.getBytes(StandardCharsets.UTF_8).length + " " + message);
        assertThat(Origin.find(message.getBytes(StandardCharsets.UTF_8)))
                .isEqualTo(new Origin("0b3ec5eb96813783", 4096));
    }

    @Test
    void replacesNilStructuredDataWithTheOrigin() {
        String frame = written(new FrameWriter(false, true), line("<13>1 - h app - - - hello"));
        assertThat(frame).isEqualTo("<13>1 - h app - - " + new Origin("0b3ec5eb96813783", 4096).element()
                + " hello\n");
    }

    @Test
    void wrapsLinesThatAreNotRfc5424InAValidHeaderStampedWithTheReadTime() {
        byte[] text = "GET /index.html 200".getBytes(StandardCharsets.US_ASCII);
        long readAt = java.time.Instant.parse("2026-12-06T05:20:00.120Z").toEpochMilli();
        LogLine line = new LogLine("web-01", "/var/log/app.log", "0b3ec5eb96813783", 4096, text, 0, text.length,
                readAt);
        String frame = written(new FrameWriter(false, true), line);
        String message = frame.substring(0, frame.length() - 1);
        assertThat(message).startsWith("<13>1 2026-12-06T05:20:00.120Z web-01 logferry - - [origin@32473")
                .endsWith("] GET /index.html 200");
        var record = Rfc5424Parser.parse(message);
        assertThat(record.hostname()).isEqualTo("web-01");
        assertThat(record.timestamp()).isEqualTo("2026-12-06T05:20:00.120Z");

        LogLine onTheSecond = new LogLine("web-01", "/p", "fp", 0, text, 0, text.length, readAt - 120);
        assertThat(written(new FrameWriter(true, false), onTheSecond)).contains(" 2026-12-06T05:20:00.000Z web-01 ");
    }

    @Test
    void sendsLinesAsTheyAreWithoutOrigins() {
        String text = "<134>1 - h app 1 MSG - hello";
        assertThat(written(new FrameWriter(true, false), line(text))).isEqualTo(text.length() + " " + text);
    }

    @Test
    void sendsTheBytesOfTheLineExactlyEvenWhenTheyAreNotUtf8() {
        byte[] prefix = "<134>1 - h app 1 MSG - ".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[prefix.length + 6];
        System.arraycopy(prefix, 0, chunk, 3, prefix.length); // the line is a slice in the middle of a chunk
        chunk[3 + prefix.length] = (byte) 0xFF;
        chunk[4 + prefix.length] = (byte) 0xC3;
        LogLine line = new LogLine("web-01", "/var/log/app.log", "fp", 0, chunk, 3, prefix.length + 2);

        ByteBuf out = Unpooled.buffer();
        new FrameWriter(true, false).write(line, out);
        byte[] expected = new byte[prefix.length + 2];
        System.arraycopy(chunk, 3, expected, 0, expected.length);
        assertThat(ByteBufUtil.getBytes(out)).isEqualTo(concat((expected.length + " ").getBytes(), expected));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
