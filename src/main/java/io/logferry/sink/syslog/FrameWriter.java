package io.logferry.sink.syslog;

import io.logferry.batch.LogLine;
import io.logferry.rfc5424.Origin;
import io.logferry.rfc5424.Rfc5424Layout;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/**
 * Turns tailed lines into syslog frames on the wire: RFC 5425 octet counting ({@code LEN SP MSG}) or RFC 6587
 * LF framing. A line that is already an RFC 5424 message is sent as it is, with the {@link Origin} element
 * added in front of its structured data when origins are on; any other line is wrapped in an RFC 5424 header
 * ({@code <13>1 TIMESTAMP HOST logferry - - SD line}: user.notice, stamped with the time the line was read,
 * to the millisecond in UTC, as RFC 5424 section 6.2.3 asks of a relay that adds the header). The
 * line's bytes are copied into the buffer exactly as the application wrote them.
 */
final class FrameWriter {

    private static final String WRAP_PRI = "<13>1 ";
    /** {@code 2026-12-06T05:20:00.123Z}: RFC 3339, as long as it is for every time logferry reads. */
    private static final int STAMP_LENGTH = 24;
    private static final String WRAP_APP = " logferry - - ";

    private final boolean octetCounting;
    private final boolean origins;
    private String lastSource = "";
    private String lastHost = "-";
    private long stampMillis = Long.MIN_VALUE;
    private final byte[] stamp = new byte[STAMP_LENGTH];

    FrameWriter(boolean octetCounting, boolean origins) {
        this.octetCounting = octetCounting;
        this.origins = origins;
    }

    /** Appends the line's frame; returns the frame's length on the wire. */
    int write(LogLine line, ByteBuf out) {
        int start = out.writerIndex();
        int sd = Rfc5424Layout.structuredDataStart(line.chunk(), line.start(), line.length());
        if (sd >= 0) {
            writeRfc5424(line, sd, out);
        } else {
            writeWrapped(line, out);
        }
        return out.writerIndex() - start;
    }

    private void writeRfc5424(LogLine line, int sd, ByteBuf out) {
        byte[] chunk = line.chunk();
        int from = line.start();
        if (!origins) {
            prefix(line.length(), out);
            out.writeBytes(chunk, from, line.length());
        } else {
            int rest = chunk[from + sd] == '-' ? sd + 1 : sd; // the element replaces a NILVALUE
            prefix(sd + Origin.elementLength(line.fingerprint(), line.offset()) + line.length() - rest, out);
            out.writeBytes(chunk, from, sd);
            Origin.writeElement(line.fingerprint(), line.offset(), out);
            out.writeBytes(chunk, from + rest, line.length() - rest);
        }
        suffix(out);
    }

    private void writeWrapped(LogLine line, ByteBuf out) {
        if (!line.source().equals(lastSource)) {
            lastSource = line.source();
            lastHost = hostname(lastSource); // one source per route: computed once
        }
        String host = lastHost;
        int sdLength = origins ? Origin.elementLength(line.fingerprint(), line.offset()) : 1;
        int headerLength = WRAP_PRI.length() + STAMP_LENGTH + 1 + host.length() + WRAP_APP.length() + sdLength + 1;
        prefix(headerLength + line.length(), out);
        out.writeCharSequence(WRAP_PRI, StandardCharsets.US_ASCII);
        out.writeBytes(stamp(line.readMillis()));
        out.writeByte(' ');
        out.writeCharSequence(host, StandardCharsets.US_ASCII);
        out.writeCharSequence(WRAP_APP, StandardCharsets.US_ASCII);
        if (origins) {
            Origin.writeElement(line.fingerprint(), line.offset(), out);
        } else {
            out.writeByte('-');
        }
        out.writeByte(' ');
        out.writeBytes(line.chunk(), line.start(), line.length());
        suffix(out);
    }

    /** The RFC 3339 time of {@code millis}; lines of one read share one, so it is formatted once for them. */
    private byte[] stamp(long millis) {
        if (millis != stampMillis) {
            String text = DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochMilli(millis));
            // ISO_INSTANT leaves out a zero fraction: pad to the fixed form
            String fixed = text.length() == STAMP_LENGTH ? text : text.substring(0, 19) + ".000Z";
            System.arraycopy(fixed.getBytes(StandardCharsets.US_ASCII), 0, stamp, 0, STAMP_LENGTH);
            stampMillis = millis;
        }
        return stamp;
    }

    /** RFC 5424 HOSTNAME: 1-255 printable US-ASCII characters, no space; anything else becomes '_'. */
    static String hostname(String source) {
        if (source == null || source.isBlank()) {
            return "-";
        }
        StringBuilder name = new StringBuilder(Math.min(source.length(), 255));
        for (int i = 0; i < source.length() && i < 255; i++) {
            char c = source.charAt(i);
            name.append(c > 32 && c < 127 ? c : '_');
        }
        return name.toString();
    }

    private void prefix(int length, ByteBuf out) {
        if (octetCounting) {
            out.writeCharSequence(Integer.toString(length), StandardCharsets.US_ASCII);
            out.writeByte(' ');
        }
    }

    private void suffix(ByteBuf out) {
        if (!octetCounting) {
            out.writeByte('\n');
        }
    }
}
