package io.logferry.batch;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of every exchange between a source and a sink: lines plus the {@link Confirmation}s they answer
 * to (the file ranges they came from, or the dead letters a replay resends). These travel with the data so
 * that the exchange that finally reaches the sink, however many batches were merged into it, is the one
 * whose completion commits the offsets (DESIGN invariant 1).
 *
 * <p>Not thread-safe: a batch belongs to one exchange at a time.
 */
public final class LogBatch {

    private final List<LogLine> lines;
    private final List<Confirmation> confirmations;
    private long bytes;

    public LogBatch(List<LogLine> lines, List<Confirmation> confirmations, long bytes) {
        this.lines = new ArrayList<>(lines);
        this.confirmations = new ArrayList<>(confirmations);
        this.bytes = bytes;
    }

    public List<LogLine> lines() {
        return lines;
    }

    public List<Confirmation> confirmations() {
        return confirmations;
    }

    /** Bytes of file content the lines represent (terminators included), used for size-based completion. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return lines.size();
    }

    /** Moves the other batch's lines and confirmations into this one. */
    public void absorb(LogBatch other) {
        lines.addAll(other.lines);
        confirmations.addAll(other.confirmations);
        bytes += other.bytes;
    }

    @Override
    public String toString() {
        return "LogBatch[lines=" + lines.size() + ", bytes=" + bytes + ", confirmations=" + confirmations.size() + "]";
    }
}
