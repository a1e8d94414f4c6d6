package io.logferry.syslog.forward;

import io.logferry.batch.LogLine;
import io.logferry.syslog.Origin;
import io.logferry.syslog.Rfc5424Layout;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;

import java.nio.charset.StandardCharsets;

/**
 * Turns tailed lines into syslog frames on the wire: RFC 5425 octet counting ({@code LEN SP MSG}) or RFC 6587
 * LF framing. A line that is already an RFC 5424 message is sent as it is, with the {@link Origin} element
 * added in front of its structured data when origins are on; any other line is wrapped in an RFC 5424 header
 * ({@code <13>1 - HOST logferry - - SD line}: user.notice, no timestamp, so the receiver stamps it). UTF-8 is
 * written straight into the buffer: no byte[] per line.
 */
final class FrameWriter {

    private static final String WRAP_PRI = "<13>1 - ";
    private static final String WRAP_APP = " logferry - - ";

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
        String text = line.text();
        String element = origins ? new Origin(line.fingerprint(), line.offset()).element() : null;
        int sd = Rfc5424Layout.structuredDataStart(text);
        if (sd >= 0) {
            writeRfc5424(text, sd, element, out);
        } else {
            writeWrapped(line, element, out);
        }
        return out.writerIndex() - start;
    }

    private void writeRfc5424(String text, int sd, String element, ByteBuf out) {
        boolean nilSd = text.charAt(sd) == '-';
        if (element == null) {
            int length = ByteBufUtil.utf8Bytes(text);
            prefix(length, out);
            ByteBufUtil.writeUtf8(out, text);
        } else {
            int rest = nilSd ? sd + 1 : sd;
            int length = sd + element.length() + ByteBufUtil.utf8Bytes(text, rest, text.length());
            prefix(length, out);
            out.writeCharSequence(text.subSequence(0, sd), StandardCharsets.US_ASCII);
            out.writeCharSequence(element, StandardCharsets.US_ASCII);
            ByteBufUtil.writeUtf8(out, text, rest, text.length());
        }
        suffix(out);
    }

    private void writeWrapped(LogLine line, String element, ByteBuf out) {
        if (!line.source().equals(lastSource)) {
            lastSource = line.source();
            lastHost = hostname(lastSource); // one source per route: computed once
        }
        String host = lastHost;
        String sd = element == null ? "-" : element;
        int headerLength = WRAP_PRI.length() + host.length() + WRAP_APP.length() + sd.length() + 1;
        prefix(headerLength + ByteBufUtil.utf8Bytes(line.text()), out);
        out.writeCharSequence(WRAP_PRI, StandardCharsets.US_ASCII);
        out.writeCharSequence(host, StandardCharsets.US_ASCII);
        out.writeCharSequence(WRAP_APP, StandardCharsets.US_ASCII);
        out.writeCharSequence(sd, StandardCharsets.US_ASCII);
        out.writeByte(' ');
        ByteBufUtil.writeUtf8(out, line.text());
        suffix(out);
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
