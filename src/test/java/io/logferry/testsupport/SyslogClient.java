package io.logferry.testsupport;

import io.logferry.tls.IssuedCertificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

/**
 * A raw syslog client for listener tests: a JDK TLS socket (any certificate, or none) or plain TCP, writing
 * whatever bytes a test wants, including malformed frames, and telling when the listener closed it.
 */
public final class SyslogClient implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;

    private SyslogClient(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(15_000);
        this.out = socket.getOutputStream();
        this.in = socket.getInputStream();
    }

    /** A TLS client presenting {@code identity} (none when null) and trusting {@code ca}; handshakes at once. */
    public static SyslogClient tls(int port, IssuedCertificate identity, X509Certificate ca) throws Exception {
        SSLContext context = TestPki.jdkContext(identity, ca);
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port);
        SyslogClient client = new SyslogClient(socket);
        socket.startHandshake();
        return client;
    }

    /** A plain TCP client. */
    public static SyslogClient plain(int port) throws IOException {
        return new SyslogClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    public void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.UTF_8));
    }

    public void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** {@code message} as an RFC 5425 octet-counted frame. */
    public static String frame(String message) {
        return message.getBytes(StandardCharsets.UTF_8).length + " " + message;
    }

    /**
     * True once the listener closed the connection (end of stream, reset or TLS alert); false if it stays open
     * for the socket timeout. Reads and discards anything else (acks).
     */
    public boolean closedByPeer() {
        try {
            byte[] buffer = new byte[256];
            while (in.read(buffer) >= 0) {
                // acks or nothing: keep reading until the end of the stream
            }
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** True if the listener closes the connection within {@code wait}. */
    public boolean closedByPeerWithin(java.time.Duration wait) throws IOException {
        socket.setSoTimeout((int) wait.toMillis());
        return closedByPeer();
    }

    public void closeOutput() throws IOException {
        if (socket instanceof SSLSocket) {
            socket.close();
        } else {
            socket.shutdownOutput();
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
