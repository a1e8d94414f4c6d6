package io.logferry.tail;

import io.logferry.offset.CommitWindow;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One file identity being followed: its fingerprint, the open handle (kept after a rename or delete so the
 * file is drained), the read position and the window of ranges not yet confirmed. Used by the consumer's
 * polling thread only, except the window, which is thread-safe, and {@link #status()}, which any thread may call.
 */
final class TailedFile {

    private final String identity;
    private final String contentFingerprint;
    private final CommitWindow window;
    private final LineReader reader;
    // path, position and lastSize are also read by management (status()), from other threads
    private volatile Path path;
    private Object fileKey;
    private FileChannel channel;
    private volatile long position;
    private volatile long lastSize;
    private long lastGrowthNanos;
    private boolean detached;
    private boolean truncated;
    private boolean waitingForLineEnd;

    /**
     * @param identity           the content fingerprint, or for a second file that starts with the same line,
     *                           the content fingerprint with an inode hint
     * @param contentFingerprint the fingerprint of the first line, checked to notice truncation
     */
    TailedFile(Path path, Object fileKey, String identity, String contentFingerprint, FileChannel channel,
               CommitWindow window, LineReader reader) {
        this.path = path;
        this.fileKey = fileKey;
        this.identity = identity;
        this.contentFingerprint = contentFingerprint;
        this.channel = channel;
        this.window = window;
        this.reader = reader;
        this.position = window.committed();
        this.lastGrowthNanos = System.nanoTime();
    }

    static FileChannel open(Path path) throws IOException {
        return FileChannel.open(path, StandardOpenOption.READ);
    }

    /** Follows the same content at another file (the copy made by copytruncate), keeping position and window. */
    void moveTo(Path newPath, Object newKey, FileChannel newChannel) {
        closeChannel();
        path = newPath;
        fileKey = newKey;
        channel = newChannel;
        truncated = false;
        detached = false;
        lastGrowthNanos = System.nanoTime();
    }

    FileChannel channel() throws IOException {
        if (channel == null) {
            channel = open(path);
        }
        return channel;
    }

    boolean isOpen() {
        return channel != null;
    }

    void closeChannel() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only handle: nothing to flush
            }
            channel = null;
        }
    }

    /** True if the size differs from the one last recorded by {@link #observeSize}. */
    boolean sizeChanged(long size) {
        return size != lastSize;
    }

    /** Records the size seen now; returns true if the file grew since the last look. */
    boolean observeSize(long size) {
        boolean grew = size != lastSize;
        if (grew) {
            lastSize = size;
            lastGrowthNanos = System.nanoTime();
        }
        return grew;
    }

    /** Path, identity, committed and read offsets and the size last seen, for management. */
    TailedFileStatus status() {
        return new TailedFileStatus(path.toString(), identity, window.committed(), position, lastSize);
    }

    long idleNanos() {
        return System.nanoTime() - lastGrowthNanos;
    }

    /** What the file is known by: its offset key, and the fingerprint stored with its lines. */
    String identity() {
        return identity;
    }

    String contentFingerprint() {
        return contentFingerprint;
    }

    CommitWindow window() {
        return window;
    }

    LineReader reader() {
        return reader;
    }

    Path path() {
        return path;
    }

    void path(Path newPath) {
        path = newPath;
        detached = false;
    }

    Object fileKey() {
        return fileKey;
    }

    long position() {
        return position;
    }

    void position(long newPosition) {
        position = newPosition;
    }

    boolean detached() {
        return detached;
    }

    void detach() {
        detached = true;
    }

    boolean waitingForLineEnd() {
        return waitingForLineEnd;
    }

    void waitingForLineEnd(boolean waiting) {
        waitingForLineEnd = waiting;
    }

    boolean truncated() {
        return truncated;
    }

    void markTruncated() {
        truncated = true;
    }
}
