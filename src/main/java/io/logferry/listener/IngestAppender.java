package io.logferry.listener;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends frames to one ingest file, one per line. A frame's own LF or CR becomes {@code #012} / {@code #015}
 * (rsyslog's escaping), so every line of the file is one frame. Tracks the length at the last commit, so a
 * failed write can be cut back to it. Used by the writer thread only.
 */
final class IngestAppender implements AutoCloseable {

    private static final int BUFFER = 256 * 1024;

    private final Path path;
    private final FileChannel channel;
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
    private long length;
    private long committed;

    IngestAppender(Path path) throws IOException {
        this.path = path;
        Files.createDirectories(path.getParent());
        this.channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        this.length = channel.size();
        this.committed = length;
        channel.position(length);
    }

    Path path() {
        return path;
    }

    void append(byte[] frame) throws IOException {
        int start = 0;
        for (int i = 0; i < frame.length; i++) {
            byte b = frame[i];
            if (b == '\n' || b == '\r') {
                put(frame, start, i - start);
                put(b == '\n' ? ESCAPED_LF : ESCAPED_CR, 0, 4);
                start = i + 1;
            }
        }
        put(frame, start, frame.length - start);
        put(NEWLINE, 0, 1);
    }

    private static final byte[] ESCAPED_LF = {'#', '0', '1', '2'};
    private static final byte[] ESCAPED_CR = {'#', '0', '1', '5'};
    private static final byte[] NEWLINE = {'\n'};

    private void put(byte[] bytes, int offset, int count) throws IOException {
        while (count > 0) {
            if (!buffer.hasRemaining()) {
                drain();
            }
            int n = Math.min(count, buffer.remaining());
            buffer.put(bytes, offset, n);
            offset += n;
            count -= n;
            length += n;
        }
    }

    /** Writes what is buffered to the file (and to the disk with {@code fsync}); returns the file's length. */
    long flush(boolean fsync) throws IOException {
        drain();
        if (fsync) {
            channel.force(false);
        }
        return length;
    }

    void committed() {
        committed = length;
    }

    /** Drops everything after the last commit: those frames were never acknowledged and will come again. */
    void rollback() throws IOException {
        buffer.clear();
        channel.truncate(committed);
        channel.position(committed);
        length = committed;
    }

    private void drain() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            channel.write(buffer);
        }
        buffer.clear();
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
