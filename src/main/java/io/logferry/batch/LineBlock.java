package io.logferry.batch;

import java.util.AbstractList;
import java.util.RandomAccess;

/**
 * The lines of one read of one file, held column-wise: their bytes back to back in one chunk, and their
 * positions and file offsets in three arrays, and when it was read. A block of a thousand lines is five objects, not a thousand,
 * so lines waiting in flight for a confirmation cost the garbage collector almost nothing to keep.
 * {@link #get} makes a short-lived {@link LogLine} view of one line. Immutable; safe to share.
 */
public final class LineBlock extends AbstractList<LogLine> implements RandomAccess {

    private final String source;
    private final String path;
    private final String fingerprint;
    private final byte[] chunk;
    private final int[] starts;
    private final int[] lengths;
    private final long[] offsets;
    private final int size;
    private final long readMillis;

    /** The arrays are taken over, not copied: the caller must not change them afterwards. */
    public LineBlock(String source, String path, String fingerprint, byte[] chunk, int[] starts, int[] lengths,
                     long[] offsets, int size, long readMillis) {
        if (size > starts.length || size > lengths.length || size > offsets.length) {
            throw new IllegalArgumentException("a block of " + size + " lines needs arrays that long");
        }
        this.source = source;
        this.path = path;
        this.fingerprint = fingerprint;
        this.chunk = chunk;
        this.starts = starts;
        this.lengths = lengths;
        this.offsets = offsets;
        this.size = size;
        this.readMillis = readMillis;
    }

    @Override
    public LogLine get(int index) {
        if (index < 0 || index >= size) {
            throw new IndexOutOfBoundsException("line " + index + " of a block of " + size);
        }
        return new LogLine(source, path, fingerprint, offsets[index], chunk, starts[index], lengths[index],
                readMillis);
    }

    @Override
    public int size() {
        return size;
    }
}
