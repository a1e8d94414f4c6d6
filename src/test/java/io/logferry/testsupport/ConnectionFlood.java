package io.logferry.testsupport;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An attacker without a certificate: keeps {@code connections} plain TCP connections open to a port, from its own
 * source address, sends nothing, and opens a new one each time the server closes one. Runs on its own thread until
 * closed.
 */
public final class ConnectionFlood implements AutoCloseable {

    private final InetSocketAddress target;
    private final InetAddress source;
    private final Selector selector;
    private final Thread thread;
    private final AtomicLong opened = new AtomicLong();
    private volatile boolean running = true;

    public ConnectionFlood(InetAddress source, int port, int connections) throws IOException {
        this.target = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        this.source = source;
        this.selector = Selector.open();
        for (int i = 0; i < connections; i++) {
            open();
        }
        thread = new Thread(this::run, "connection-flood");
        thread.setDaemon(true);
        thread.start();
    }

    /** Connections opened so far, reopened ones included. */
    public long opened() {
        return opened.get();
    }

    private void open() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channel.configureBlocking(false);
        channel.bind(new InetSocketAddress(source, 0));
        channel.connect(target);
        channel.register(selector, SelectionKey.OP_CONNECT);
        opened.incrementAndGet();
    }

    private void run() {
        ByteBuffer sink = ByteBuffer.allocate(1024);
        while (running) {
            try {
                selector.select(100);
                for (SelectionKey key : selector.selectedKeys()) {
                    handle(key, sink);
                }
                selector.selectedKeys().clear();
            } catch (IOException e) {
                // keep flooding
            }
        }
    }

    private void handle(SelectionKey key, ByteBuffer sink) throws IOException {
        SocketChannel channel = (SocketChannel) key.channel();
        try {
            if (key.isConnectable()) {
                channel.finishConnect();
                key.interestOps(SelectionKey.OP_READ);
                return;
            }
            sink.clear();
            if (channel.read(sink) < 0) {
                throw new IOException("closed by the server");
            }
        } catch (IOException e) {
            key.cancel();
            channel.close();
            if (running) {
                open();
            }
        }
    }

    @Override
    public void close() throws Exception {
        running = false;
        thread.join(5_000);
        for (SelectionKey key : selector.keys()) {
            key.channel().close();
        }
        selector.close();
    }
}
