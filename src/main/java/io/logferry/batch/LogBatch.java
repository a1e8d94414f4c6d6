package io.logferry.batch;

import java.util.AbstractList;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.RandomAccess;

/**
 * The body of every exchange between a source and a sink: lines plus the {@link Confirmation}s they answer
 * to (the file ranges they came from, or the dead letters a replay resends). These travel with the data so
 * that the exchange that finally reaches the sink, however many batches were merged into it, is the one
 * whose completion commits the offsets (DESIGN invariant 1).
 *
 * <p>The lines are kept as the segments they arrived in (mostly {@link LineBlock}s from the tail), so merging
 * batches never copies or materializes lines; {@link #lines()} reads across the segments.
 *
 * <p>Not thread-safe: a batch belongs to one exchange at a time.
 */
public final class LogBatch {

    private final List<List<LogLine>> segments = new ArrayList<>();
    private final List<Confirmation> confirmations;
    private final Lines view = new Lines();
    private int[] ends = new int[4];
    private int size;
    private long bytes;

    /** A batch of the given lines; a {@link LineBlock} is kept as it is, any other list is copied. */
    public LogBatch(List<LogLine> lines, List<Confirmation> confirmations, long bytes) {
        this.confirmations = new ArrayList<>(confirmations);
        this.bytes = bytes;
        addSegment(lines instanceof LineBlock ? lines : List.copyOf(lines));
    }

    private LogBatch(LogBatch other) {
        this.confirmations = new ArrayList<>(other.confirmations);
        this.bytes = other.bytes;
        other.segments.forEach(this::addSegment);
    }

    /** A batch holding the same lines and confirmations, into which others can be merged. */
    public LogBatch copy() {
        return new LogBatch(this);
    }

    /** The lines in order, read-only. */
    public List<LogLine> lines() {
        return view;
    }

    public List<Confirmation> confirmations() {
        return confirmations;
    }

    /** Bytes of file content the lines represent (terminators included), used for size-based completion. */
    public long bytes() {
        return bytes;
    }

    public int size() {
        return size;
    }

    /** Moves the other batch's lines and confirmations into this one. */
    public void absorb(LogBatch other) {
        other.segments.forEach(this::addSegment);
        confirmations.addAll(other.confirmations);
        bytes += other.bytes;
    }

    /** Lets go of the lines once a sink holds its own encoding of them; the confirmations stay. */
    public void clearLines() {
        segments.clear();
        size = 0;
    }

    private void addSegment(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return;
        }
        if (segments.size() == ends.length) {
            ends = Arrays.copyOf(ends, ends.length * 2);
        }
        size += lines.size();
        ends[segments.size()] = size;
        segments.add(lines);
    }

    @Override
    public String toString() {
        return "LogBatch[lines=" + size + ", bytes=" + bytes + ", confirmations=" + confirmations.size() + "]";
    }

    /** The segments read as one list: a binary search over their end indices finds a line's segment. */
    private final class Lines extends AbstractList<LogLine> implements RandomAccess {
        @Override
        public LogLine get(int index) {
            if (index < 0 || index >= size) {
                throw new IndexOutOfBoundsException("line " + index + " of a batch of " + size);
            }
            int segment = Arrays.binarySearch(ends, 0, segments.size(), index + 1);
            segment = segment >= 0 ? segment : -segment - 1;
            int first = segment == 0 ? 0 : ends[segment - 1];
            return segments.get(segment).get(index - first);
        }

        @Override
        public int size() {
            return size;
        }
    }
}
