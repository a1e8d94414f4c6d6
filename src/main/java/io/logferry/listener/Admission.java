package io.logferry.listener;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Who may hold a connection of one listener: connections still in the TLS handshake are limited in total and
 * per source address, authenticated ones by {@code maxConnections}. Separate limits keep clients without a
 * certificate from locking everyone out: a thousand plain TCP connections churning from one address fill that
 * address's few handshake slots, and a client with a certificate from elsewhere still gets through. Thread-safe.
 */
final class Admission {

    private final int maxHandshakes;
    private final int maxHandshakesPerAddress;
    private final int maxConnections;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final AtomicInteger connections = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> byAddress = new ConcurrentHashMap<>();

    Admission(int maxHandshakes, int maxHandshakesPerAddress, int maxConnections) {
        this.maxHandshakes = maxHandshakes;
        this.maxHandshakesPerAddress = maxHandshakesPerAddress;
        this.maxConnections = maxConnections;
    }

    /** Takes a handshake slot for {@code address}; null if one was free, else the refusal reason tag. */
    String startHandshake(InetAddress address) {
        if (handshakes.incrementAndGet() > maxHandshakes) {
            handshakes.decrementAndGet();
            return "too_many_handshakes";
        }
        if (byAddress.merge(address, 1, Integer::sum) > maxHandshakesPerAddress) {
            endHandshake(address);
            return "too_many_handshakes_from_address";
        }
        return null;
    }

    /** Gives the slot back (the handshake ended either way, or the connection closed during it). */
    void endHandshake(InetAddress address) {
        handshakes.decrementAndGet();
        byAddress.computeIfPresent(address, (a, n) -> n <= 1 ? null : n - 1);
    }

    /** Counts an authenticated connection; false if {@code maxConnections} are already open. */
    boolean admit() {
        if (connections.incrementAndGet() > maxConnections) {
            connections.decrementAndGet();
            return false;
        }
        return true;
    }

    void released() {
        connections.decrementAndGet();
    }

    int handshakes() {
        return handshakes.get();
    }

    int connections() {
        return connections.get();
    }

    int maxConnections() {
        return maxConnections;
    }
}
