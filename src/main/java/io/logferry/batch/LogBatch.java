package io.logferry.batch;

import io.logferry.offset.PendingRange;

import java.util.ArrayList;
import java.util.List;

/**
 * The body of every exchange between a source and a sink: lines plus the origin ranges they came from.
 * The ranges travel with the data so that the exchange that finally reaches the sink, however many batches
 * were merged into it, is the one whose completion commits the offsets (DESIGN invariant 1).
 *
 * <p>Not thread-safe: a batch belongs to one exchange at a time.
 */
public final class LogBatch {

    private final List<LogLine> lines;
    private final List<PendingRange> ranges;
    private long bytes;

    public LogBatch(List<LogLine> lines, List<PendingRange> ranges, long bytes) {
        this.lines = new ArrayList<>(lines);
        this.ranges = new ArrayList<>(ranges);
        this.bytes = bytes;
    }

    public List<LogLine> lines() {
        return lines;
    }

    public List<PendingRange> ranges() {
        return ranges;
    }

    /** Bytes of file content the lines represent (terminators included), used for size-based completion. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return lines.size();
    }

    /** Moves the other batch's lines and ranges into this one. */
    public void absorb(LogBatch other) {
        lines.addAll(other.lines);
        ranges.addAll(other.ranges);
        bytes += other.bytes;
    }

    @Override
    public String toString() {
        return "LogBatch[lines=" + lines.size() + ", bytes=" + bytes + ", ranges=" + ranges.size() + "]";
    }
}
