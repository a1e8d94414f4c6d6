package io.logferry.tail;

import io.logferry.batch.LogLine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The lines of one read, collected as positions in the tail's read buffer and then copied out of it in one
 * chunk that all of them share: one array copy per read instead of a {@code String} per line. Reused from read
 * to read; not thread-safe (the tail's thread only).
 */
final class LineSlices implements LineReader.LineSink {

    private byte[] buffer;
    private long[] offsets = new long[256];
    private int[] starts = new int[256];
    private int[] lengths = new int[256];
    /** Lines whose bytes are not in the read buffer (a truncated line kept across reads), else null. */
    private byte[][] detached = new byte[256][];
    private int count;

    /** Starts collecting the lines of a read into {@code readBuffer}. */
    LineSlices begin(byte[] readBuffer) {
        buffer = readBuffer;
        Arrays.fill(detached, 0, count, null);
        count = 0;
        return this;
    }

    @Override
    public void line(long offset, byte[] buf, int from, int length) {
        if (count == offsets.length) {
            grow();
        }
        offsets[count] = offset;
        starts[count] = from;
        lengths[count] = length;
        detached[count] = buf == buffer ? null : buf;
        count++;
    }

    int count() {
        return count;
    }

    /** The collected lines, their bytes copied out of the read buffer (which the next read overwrites). */
    List<LogLine> toLines(String source, String path, String fingerprint) {
        List<LogLine> lines = new ArrayList<>(count);
        int first = -1;
        int end = 0;
        for (int i = 0; i < count; i++) {
            if (detached[i] == null) {
                first = first < 0 ? starts[i] : first;
                end = starts[i] + lengths[i];
            }
        }
        byte[] chunk = first < 0 ? null : Arrays.copyOfRange(buffer, first, end);
        for (int i = 0; i < count; i++) {
            lines.add(detached[i] != null
                    ? new LogLine(source, path, fingerprint, offsets[i], detached[i], starts[i], lengths[i])
                    : new LogLine(source, path, fingerprint, offsets[i], chunk, starts[i] - first, lengths[i]));
        }
        return lines;
    }

    private void grow() {
        int n = offsets.length * 2;
        offsets = Arrays.copyOf(offsets, n);
        starts = Arrays.copyOf(starts, n);
        lengths = Arrays.copyOf(lengths, n);
        detached = Arrays.copyOf(detached, n);
    }
}
