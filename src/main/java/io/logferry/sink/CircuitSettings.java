package io.logferry.sink;

/**
 * The options of a sink's circuit breaker, set from its route template ({@code circuit.enabled} and so on).
 * The circuit opens when at least {@code minimumCalls} send attempts fell in the last {@code window}
 * milliseconds and at least {@code failureRate} percent of them failed; it stays open {@code openFor}
 * milliseconds, then the sink probes its receiver before batches flow again.
 */
public final class CircuitSettings {

    private boolean enabled = true;
    private int minimumCalls = 10;
    private int failureRate = 50;
    private long window = 30_000;
    private long openFor = 10_000;

    /** Whether the sink has a circuit breaker at all (default true). */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /** Send attempts in the window before the failure rate counts (default 10, at least 1). */
    public void setMinimumCalls(int minimumCalls) {
        this.minimumCalls = minimumCalls;
    }

    /** Percentage of failed attempts in the window that opens the circuit (default 50, 1 to 100). */
    public void setFailureRate(int failureRate) {
        this.failureRate = failureRate;
    }

    /** Milliseconds of attempts the failure rate looks back over (default 30000, at least 1000). */
    public void setWindow(long window) {
        this.window = window;
    }

    /** Milliseconds the circuit stays open before the receiver is probed (default 10000, at least 100). */
    public void setOpenFor(long openFor) {
        this.openFor = openFor;
    }

    public boolean enabled() {
        return enabled;
    }

    int minimumCalls() {
        return minimumCalls;
    }

    int failureRate() {
        return failureRate;
    }

    long window() {
        return window;
    }

    long openFor() {
        return openFor;
    }

    void validate(String sink) {
        require(minimumCalls >= 1, sink, "circuitMinimumCalls must be at least 1, was " + minimumCalls);
        require(failureRate >= 1 && failureRate <= 100, sink,
                "circuitFailureRate is a percentage from 1 to 100, was " + failureRate);
        require(window >= 1000, sink, "circuitWindow must be at least 1000 ms, was " + window);
        require(openFor >= 100, sink, "circuitOpenFor must be at least 100 ms, was " + openFor);
    }

    private static void require(boolean condition, String sink, String problem) {
        if (!condition) {
            throw new IllegalArgumentException("Sink " + sink + ": " + problem);
        }
    }

    @Override
    public String toString() {
        return enabled ? "circuit(minimumCalls=" + minimumCalls + ", failureRate=" + failureRate + "%, window="
                + window + "ms, openFor=" + openFor + "ms)" : "circuit(off)";
    }
}
