package io.logferry.runtime;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Objects;

/**
 * Server sockets for the RMI registry and the JMX connector, bound to one address (the JDK's default factory
 * binds every interface), optionally TLS with client certificates required. The registry and the connector
 * share one port only when their factories are equal, hence {@link #equals}.
 */
final class BoundServerSocketFactory implements RMIServerSocketFactory, Serializable {

    private static final long serialVersionUID = 1L;

    private final InetAddress address;
    private final transient SSLContext ssl;
    private final boolean needClientAuth;

    /** @param ssl null for plain sockets */
    BoundServerSocketFactory(InetAddress address, SSLContext ssl, boolean needClientAuth) {
        this.address = address;
        this.ssl = ssl;
        this.needClientAuth = needClientAuth;
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        if (ssl == null) {
            return new ServerSocket(port, 0, address);
        }
        SSLServerSocket socket = (SSLServerSocket) ssl.getServerSocketFactory().createServerSocket(port, 0, address);
        socket.setNeedClientAuth(needClientAuth);
        return socket;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof BoundServerSocketFactory other && address.equals(other.address) && ssl == other.ssl
                && needClientAuth == other.needClientAuth;
    }

    @Override
    public int hashCode() {
        return Objects.hash(address, ssl == null ? 0 : System.identityHashCode(ssl), needClientAuth);
    }
}
