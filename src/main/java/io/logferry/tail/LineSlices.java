package io.logferry.tail;

import io.logferry.batch.LineBlock;

import java.util.Arrays;

/**
 * The lines of one read, collected as positions in the tail's read buffer and then copied out of it into one
 * {@link LineBlock}: one array copy per read instead of a {@code String} and an object per line. Reused from read
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

    /**
     * The collected lines as one block, their bytes copied out of the read buffer (which the next read
     * overwrites): one copy of the whole range, or line by line when a line kept across reads is among them.
     */
    LineBlock toBlock(String source, String path, String fingerprint) {
        int[] chunkStarts = new int[count];
        byte[] chunk = anyDetached() ? concatenate(chunkStarts) : copyRange(chunkStarts);
        return new LineBlock(source, path, fingerprint, chunk, chunkStarts, Arrays.copyOf(lengths, count),
                Arrays.copyOf(offsets, count), count, System.currentTimeMillis());
    }

    private boolean anyDetached() {
        for (int i = 0; i < count; i++) {
            if (detached[i] != null) {
                return true;
            }
        }
        return false;
    }

    private byte[] copyRange(int[] chunkStarts) {
        int first = count == 0 ? 0 : starts[0];
        int end = count == 0 ? 0 : starts[count - 1] + lengths[count - 1];
        for (int i = 0; i < count; i++) {
            chunkStarts[i] = starts[i] - first;
        }
        return Arrays.copyOfRange(buffer, first, end);
    }

    private byte[] concatenate(int[] chunkStarts) {
        int total = 0;
        for (int i = 0; i < count; i++) {
            total += lengths[i];
        }
        byte[] chunk = new byte[total];
        int at = 0;
        for (int i = 0; i < count; i++) {
            System.arraycopy(detached[i] != null ? detached[i] : buffer, starts[i], chunk, at, lengths[i]);
            chunkStarts[i] = at;
            at += lengths[i];
        }
        return chunk;
    }

    private void grow() {
        int n = offsets.length * 2;
        offsets = Arrays.copyOf(offsets, n);
        starts = Arrays.copyOf(starts, n);
        lengths = Arrays.copyOf(lengths, n);
        detached = Arrays.copyOf(detached, n);
    }
}
