package io.logferry.listener;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Optional limits per source (client CN), shared by all of that source's connections: lines and bytes per second
 * (token buckets holding one second's worth) and the disk space of its ingest directory. A source over a limit is
 * not cut off and nothing is dropped: its connections stop being read until it is back within it, and TCP pushes
 * back on the client. Thread-safe.
 */
final class SourceLimits {

    /** No limit at all. */
    static final SourceLimits NONE = new SourceLimits(0, 0, 0, null);

    /** How long a measured directory size is trusted before it is measured again. */
    private static final long QUOTA_RECHECK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final long linesPerSecond;
    private final long bytesPerSecond;
    private final long maxIngestBytes;
    private final Path ingestDir;
    private final Map<String, Bucket> lines = new ConcurrentHashMap<>();
    private final Map<String, Bucket> bytes = new ConcurrentHashMap<>();
    private final Map<String, Usage> usage = new ConcurrentHashMap<>();

    /** Zero turns a limit off; {@code ingestDir} is null when the listener writes to the store (no quota). */
    SourceLimits(long linesPerSecond, long bytesPerSecond, long maxIngestBytes, Path ingestDir) {
        this.linesPerSecond = linesPerSecond;
        this.bytesPerSecond = bytesPerSecond;
        this.maxIngestBytes = ingestDir == null ? 0 : maxIngestBytes;
        this.ingestDir = ingestDir;
    }

    boolean rateLimited() {
        return linesPerSecond > 0 || bytesPerSecond > 0;
    }

    boolean hasQuota() {
        return maxIngestBytes > 0;
    }

    /** Takes {@code frames} lines and {@code size} bytes of {@code source}'s rate; returns nanos to pause (0: none). */
    long take(String source, int frames, long size, long nowNanos) {
        long pause = 0;
        if (linesPerSecond > 0) {
            pause = lines.computeIfAbsent(source, s -> new Bucket(linesPerSecond, nowNanos)).take(frames, nowNanos);
        }
        if (bytesPerSecond > 0) {
            pause = Math.max(pause, bytes.computeIfAbsent(source, s -> new Bucket(bytesPerSecond, nowNanos))
                    .take(size, nowNanos));
        }
        return pause;
    }

    /** True while the source's ingest directory holds {@code maxIngestBytes} or more. */
    boolean overQuota(String source, long nowNanos) {
        if (maxIngestBytes <= 0) {
            return false;
        }
        return usage.computeIfAbsent(source, s -> new Usage(ingestDir.resolve(SourceDirectory.of(s))))
                .bytes(nowNanos) >= maxIngestBytes;
    }

    long maxIngestBytes() {
        return maxIngestBytes;
    }

    /** A token bucket that may go into debt: what was already received is accepted, and the debt is the pause. */
    private static final class Bucket {
        private final double perNano;
        private final double capacity;
        private double tokens;
        private long lastNanos;

        Bucket(long perSecond, long nowNanos) {
            this.perNano = perSecond / 1e9;
            this.capacity = perSecond;
            this.tokens = perSecond;
            this.lastNanos = nowNanos;
        }

        synchronized long take(long n, long nowNanos) {
            tokens = Math.min(capacity, tokens + (nowNanos - lastNanos) * perNano);
            lastNanos = nowNanos;
            tokens -= n;
            return tokens >= 0 ? 0 : (long) Math.ceil(-tokens / perNano);
        }
    }

    /** The size of one source's ingest directory, measured at most once a second. */
    private static final class Usage {
        private final Path dir;
        private long measuredNanos;
        private long bytes = -1;

        Usage(Path dir) {
            this.dir = dir;
        }

        synchronized long bytes(long nowNanos) {
            if (bytes < 0 || nowNanos - measuredNanos > QUOTA_RECHECK_NANOS) {
                bytes = measure();
                measuredNanos = nowNanos;
            }
            return bytes;
        }

        private long measure() {
            try (Stream<Path> files = Files.walk(dir)) {
                return files.filter(Files::isRegularFile).mapToLong(SourceLimits::size).sum();
            } catch (NoSuchFileException e) {
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0; // removed while measuring
        }
    }
}
