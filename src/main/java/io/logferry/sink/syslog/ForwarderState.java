package io.logferry.sink.syslog;

import java.time.Instant;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the forwarder's connection is doing, for its health check and meters. Written by the connection's event
 * loop, read from any thread.
 */
final class ForwarderState {

    private final LongAdder resentFrames = new LongAdder();
    private volatile boolean connected;
    private volatile boolean acking;
    private volatile String problem = "not connected yet";
    private volatile Instant since = Instant.now();
    private volatile int backlog;

    void connecting() {
        if (connected) {
            since = Instant.now();
        }
        connected = false;
    }

    void connected(boolean acks) {
        connected = true;
        acking = acks;
        problem = null;
        since = Instant.now();
    }

    /** The connection is gone (or could not be made) for {@code why}, a sentence for the health check. */
    void disconnected(String why) {
        if (connected || problem == null) {
            since = Instant.now();
        }
        connected = false;
        problem = why;
    }

    void resent(int frames) {
        resentFrames.add(frames);
    }

    void backlog(int batches) {
        backlog = batches;
    }

    boolean isConnected() {
        return connected;
    }

    boolean isAcking() {
        return acking;
    }

    String problem() {
        return problem;
    }

    Instant since() {
        return since;
    }

    int backlog() {
        return backlog;
    }

    long resentFrames() {
        return resentFrames.sum();
    }
}
