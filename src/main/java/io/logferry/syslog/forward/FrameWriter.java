package io.logferry.syslog.forward;

import io.logferry.batch.LogLine;
import io.logferry.syslog.Origin;
import io.logferry.syslog.Rfc5424Layout;
import io.netty.buffer.ByteBuf;

import java.nio.charset.StandardCharsets;

/**
 * Turns tailed lines into syslog frames on the wire: RFC 5425 octet counting ({@code LEN SP MSG}) or RFC 6587
 * LF framing. A line that is already an RFC 5424 message is sent as it is, with the {@link Origin} element
 * added in front of its structured data when origins are on; any other line is wrapped in an RFC 5424 header
 * ({@code <13>1 - HOST logferry - - SD line}: user.notice, no timestamp, so the receiver stamps it). The
 * line's bytes are copied into the buffer exactly as the application wrote them.
 */
final class FrameWriter {

    private static final String WRAP_PRI = "<13>1 - ";
    private static final String WRAP_APP = " logferry - - ";
    private static final byte[] ORIGIN_FILE = ("[" + Origin.SD_ID + " file=\"").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN_OFFSET = "\" off=\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] ORIGIN_END = "\"]".getBytes(StandardCharsets.US_ASCII);

    private final boolean octetCounting;
    private final boolean origins;
    private String lastSource = "";
    private String lastHost = "-";

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
            prefix(sd + elementLength(line) + line.length() - rest, out);
            out.writeBytes(chunk, from, sd);
            writeElement(line, out);
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
        int sdLength = origins ? elementLength(line) : 1;
        int headerLength = WRAP_PRI.length() + host.length() + WRAP_APP.length() + sdLength + 1;
        prefix(headerLength + line.length(), out);
        out.writeCharSequence(WRAP_PRI, StandardCharsets.US_ASCII);
        out.writeCharSequence(host, StandardCharsets.US_ASCII);
        out.writeCharSequence(WRAP_APP, StandardCharsets.US_ASCII);
        if (origins) {
            writeElement(line, out);
        } else {
            out.writeByte('-');
        }
        out.writeByte(' ');
        out.writeBytes(line.chunk(), line.start(), line.length());
        suffix(out);
    }

    /** The {@link Origin} element's length; the file identity is ASCII (hex, '@', digits). */
    private int elementLength(LogLine line) {
        return ORIGIN_FILE.length + line.fingerprint().length() + ORIGIN_OFFSET.length
                + decimalDigits(line.offset()) + ORIGIN_END.length;
    }

    /** Writes what {@link Origin#element()} returns, without building the string. */
    private void writeElement(LogLine line, ByteBuf out) {
        out.writeBytes(ORIGIN_FILE);
        out.writeCharSequence(line.fingerprint(), StandardCharsets.US_ASCII);
        out.writeBytes(ORIGIN_OFFSET);
        out.writeCharSequence(Long.toString(line.offset()), StandardCharsets.US_ASCII);
        out.writeBytes(ORIGIN_END);
    }

    private static int decimalDigits(long value) {
        int digits = 1;
        for (long v = value; v >= 10; v /= 10) {
            digits++;
        }
        return digits;
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
