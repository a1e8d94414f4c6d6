package io.logferry.rfc5425;

import io.netty.buffer.ByteBuf;
import io.netty.handler.ssl.SslHandler;

import java.nio.charset.StandardCharsets;

/**
 * The acknowledgement a logferry listener sends back to a logferry forwarder, on the direction of the TLS
 * connection RFC 5425 leaves unused. Negotiated in the TLS handshake by ALPN: the forwarder offers
 * {@value #ALPN}, a logferry listener selects it, and only then does either side speak it. A plain RFC 5425
 * receiver ignores the offer (it selects nothing), so it never sees an ack frame, and a plain RFC 5425 sender
 * offers nothing, so it never receives one.
 *
 * <p>Each ack is an octet-counted frame {@code LEN SP "ack" SP N}, where N is the number of frames received on
 * this connection that are now durably stored (or were dropped as duplicates of stored ones), counting from 1
 * at the connection's first frame. N only grows. A forwarder confirms every frame up to N and resends, after a
 * reconnect, everything after it.
 */
public final class AckProtocol {

    /** The ALPN protocol id. */
    public static final String ALPN = "logferry-ack/1";
    private static final byte[] ACK = "ack ".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_DIGITS = 19;

    private AckProtocol() {
    }

    /** True when the finished handshake on this handler agreed on the ack protocol. */
    public static boolean negotiated(SslHandler ssl) {
        // the engine's own answer: Netty's SslHandler.applicationProtocol() knows only Netty's engine wrappers
        return ssl != null && ALPN.equals(ssl.engine().getApplicationProtocol());
    }

    /** Writes the ack frame for {@code frames} frames. */
    public static void writeAck(long frames, ByteBuf out) {
        String body = "ack " + frames;
        out.writeCharSequence(body.length() + " " + body, StandardCharsets.US_ASCII);
    }

    /**
     * The count in an ack frame's content (the bytes after the octet count), or -1 when it is not an ack, so a
     * peer that is not logferry cannot make the forwarder confirm anything.
     */
    public static long parseAck(byte[] frame) {
        if (frame.length <= ACK.length || frame.length > ACK.length + MAX_DIGITS) {
            return -1;
        }
        for (int i = 0; i < ACK.length; i++) {
            if (frame[i] != ACK[i]) {
                return -1;
            }
        }
        long n = 0;
        for (int i = ACK.length; i < frame.length; i++) {
            if (frame[i] < '0' || frame[i] > '9') {
                return -1;
            }
            n = n * 10 + (frame[i] - '0');
        }
        return n;
    }
}
