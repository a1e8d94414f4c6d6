package io.logferry.tail;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.offset.CommitWindow;
import io.logferry.offset.InflightBudget;
import io.logferry.offset.PendingRange;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.support.ScheduledPollConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.TreeMap;

/**
 * Follows every file the globs match from one polling thread, however many there are. Each poll reads at
 * most one batch per file (round robin) while the in-flight budget has room, and emits it as one exchange
 * whose {@link LogBatch} carries the byte range it came from. This class never commits an offset: the
 * range's completion does, after the sink confirmed it. Files are tracked by inode while open and known by
 * fingerprint, so renames, copytruncate copies and restarts find the right offset.
 */
public class TailConsumer extends ScheduledPollConsumer {

    private static final Logger LOG = LoggerFactory.getLogger(TailConsumer.class);
    private static final int PREFIX_COMPARE_BYTES = 64 * 1024;

    private final TailConfiguration config;
    private final Map<Object, TailedFile> byKey = new HashMap<>();
    // written by the polling thread only; concurrent so management and tests can take snapshots
    private final Map<String, TailedFile> byFingerprint = new ConcurrentHashMap<>();
    private final Set<String> reportedDuplicates = new HashSet<>();
    private FileDiscovery discovery;
    private Fingerprinter fingerprinter;
    private InflightBudget budget;
    private StartOffsets startOffsets;
    private ByteBuffer buffer;
    private String sourceId;
    private long nextScanNanos;

    public TailConsumer(TailEndpoint endpoint, Processor processor) {
        super(endpoint, processor);
        this.config = endpoint.getConfiguration();
        setDelay(config.getPollInterval());
        setInitialDelay(0);
        setGreedy(true);
    }

    @Override
    protected void doStart() throws Exception {
        discovery = new FileDiscovery(config.pathList(), config.excludeList());
        fingerprinter = new Fingerprinter(config.getFingerprintBytes());
        budget = new InflightBudget(config.getMaxInflightBytes());
        buffer = ByteBuffer.allocate(config.readBufferSize());
        sourceId = config.getSourceId() == null || config.getSourceId().isBlank()
                ? InetAddress.getLocalHost().getHostName() : config.getSourceId().strip();
        String keyPrefix = config.getOffsetKey() != null ? config.getOffsetKey() : getRouteId();
        startOffsets = new StartOffsets(config.getOffsetRepository(), keyPrefix, config.getReadFrom());
        checkDirectories();
        scan(true);
        super.doStart();
    }

    @Override
    protected void doStop() throws Exception {
        super.doStop();
        byFingerprint.values().forEach(TailedFile::closeChannel);
        byFingerprint.clear();
        byKey.clear();
    }

    /** Bytes read but not yet confirmed, over all files. */
    public long inflightBytes() {
        return budget == null ? 0 : budget.used();
    }

    /** Fingerprint to committed offset of every file followed now. */
    public Map<String, Long> followedFiles() {
        Map<String, Long> files = new TreeMap<>();
        byFingerprint.forEach((fingerprint, file) -> files.put(fingerprint, file.window().committed()));
        return files;
    }

    @Override
    protected int poll() throws Exception {
        if (System.nanoTime() - nextScanNanos >= 0) {
            scan(false);
        }
        int exchanges = 0;
        for (TailedFile file : new ArrayList<>(byFingerprint.values())) {
            if (!isRunAllowed() || !budget.hasRoom()) {
                break;
            }
            exchanges += readOnce(file);
        }
        return exchanges;
    }

    private void checkDirectories() {
        for (Path dir : discovery.baseDirectories()) {
            for (Path p = dir; p != null; p = p.getParent()) {
                if (Files.exists(p) && !Files.isDirectory(p)) {
                    throw new IllegalStateException("tail: " + p + " is a file, not a directory; fix the glob in the"
                            + " paths option (" + config.getPaths() + ")");
                }
            }
            if (Files.isDirectory(dir) && !(Files.isReadable(dir) && Files.isExecutable(dir))) {
                throw new IllegalStateException("tail: cannot read directory " + dir + " (permission denied); give"
                        + " the user running logferry read and execute permission on it, or remove it from the"
                        + " paths option (" + config.getPaths() + ")");
            }
            if (!Files.exists(dir)) {
                LOG.info("Directory {} does not exist yet; files will be picked up when it appears", dir);
            }
        }
    }

    private void scan(boolean atStart) throws IOException {
        Set<Path> paths;
        try {
            paths = discovery.scan();
        } catch (IOException e) {
            if (atStart) {
                throw new IOException("tail: cannot list the files of " + config.getPaths() + ": " + e
                        + "; check the permissions of the directories on the way", e);
            }
            LOG.warn("Cannot list the files of {}: {}", config.getPaths(), e.toString());
            return;
        }
        // a truncation must be known before a new file is taken for its copy or for a stranger
        for (TailedFile file : byFingerprint.values()) {
            if (!file.truncated() && file.isOpen() && isTruncated(file, file.channel())) {
                truncated(file);
            }
        }
        Set<TailedFile> seen = new HashSet<>();
        for (Path path : paths) {
            TailedFile file = identify(path, atStart);
            if (file != null) {
                seen.add(file);
            }
        }
        for (TailedFile file : byFingerprint.values()) {
            if (!seen.contains(file) && !file.detached() && !file.truncated()) {
                file.detach();
                LOG.info("{} was renamed or removed; reading it to its end", file.path());
            }
        }
        nextScanNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.getScanInterval());
    }

    private TailedFile identify(Path path, boolean atStart) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class);
        } catch (IOException e) {
            return null; // removed since the directory was listed
        }
        TailedFile known = byKey.get(attrs.fileKey());
        if (known != null) {
            known.path(path);
            return known;
        }
        FileChannel channel;
        try {
            channel = TailedFile.open(path);
        } catch (IOException e) {
            LOG.warn("Cannot open {}: {}; will try again", path, e.toString());
            return null;
        }
        String fingerprint = fingerprinter.fingerprint(channel);
        if (fingerprint == null) {
            channel.close(); // first line not complete yet
            return null;
        }
        String identity = fingerprint;
        TailedFile existing = byFingerprint.get(fingerprint);
        String hinted = fingerprint + "@" + inodeHint(attrs);
        if (startOffsets.isKnown(hinted)) {
            identity = hinted;
        } else if (existing != null) {
            if (existing.truncated() || existing.detached() || samePrefix(existing.channel(), channel)) {
                return adoptOrIgnore(existing, path, attrs, channel);
            }
            // a different file that merely starts with the same line: the inode tells them apart
            identity = hinted;
            LOG.info("{} starts with the same line as {} but differs after it; following it as {}", path,
                    existing.path(), identity);
        }
        return follow(path, attrs, channel, identity, fingerprint, atStart);
    }

    private TailedFile follow(Path path, BasicFileAttributes attrs, FileChannel channel, String identity,
                              String fingerprint, boolean atStart) throws IOException {
        StartOffsets.Start start = startOffsets.start(identity, channel, atStart);
        CommitWindow window = new CommitWindow(startOffsets.key(identity), start.offset(),
                config.getOffsetRepository(), budget);
        if (start.save()) {
            window.commitStart(start.offset());
        }
        TailedFile file = new TailedFile(path, attrs.fileKey(), identity, fingerprint, channel, window,
                new LineReader(config.getMaxLineLength(), config.getLongLines()));
        byKey.put(attrs.fileKey(), file);
        byFingerprint.put(identity, file);
        LOG.info("Following {} (fingerprint {}) from offset {}", path, identity, start.offset());
        return file;
    }

    private static String inodeHint(BasicFileAttributes attrs) {
        return String.valueOf(attrs.fileKey()).replaceAll("[^0-9a-z=,]", "");
    }

    /** True if both files hold the same bytes as far as both reach (up to 64 KiB): one is a copy of the other. */
    private static boolean samePrefix(FileChannel a, FileChannel b) throws IOException {
        int length = (int) Math.min(PREFIX_COMPARE_BYTES, Math.min(a.size(), b.size()));
        ByteBuffer left = ByteBuffer.allocate(length);
        ByteBuffer right = ByteBuffer.allocate(length);
        a.read(left, 0);
        b.read(right, 0);
        return left.flip().equals(right.flip());
    }

    /**
     * A second file with a known fingerprint: the copy copytruncate made (or a file moved back in), which
     * continues the same content; otherwise a duplicate that is not read twice.
     */
    private TailedFile adoptOrIgnore(TailedFile existing, Path path, BasicFileAttributes attrs, FileChannel channel)
            throws IOException {
        if ((existing.truncated() || existing.detached()) && attrs.size() >= existing.position()) {
            byKey.remove(existing.fileKey());
            existing.moveTo(path, attrs.fileKey(), channel);
            byKey.put(attrs.fileKey(), existing);
            LOG.info("Continuing fingerprint {} in {} at offset {}", existing.fingerprint(), path, existing.position());
            return existing;
        }
        channel.close();
        if (reportedDuplicates.add(existing.fingerprint() + path)) {
            LOG.info("{} is a copy of {} (fingerprint {}); it is read only if the original is truncated",
                    path, existing.path(), existing.fingerprint());
        }
        return existing;
    }

    private int readOnce(TailedFile file) throws IOException {
        if (file.truncated()) {
            finishIfIdle(file);
            return 0;
        }
        if (!rewindIfDue(file)) {
            return 0;
        }
        FileChannel channel = file.channel();
        long size = channel.size();
        boolean grew = file.observeSize(size);
        if (size < file.position() || (grew && isTruncated(file, channel))) {
            truncated(file);
            return 0;
        }
        if (size == file.position() || (!grew && file.waitingForLineEnd())) {
            finishIfIdle(file);
            return 0;
        }
        return readBatch(file, channel, size);
    }

    /** Shorter than what was read, or another first line: the file was truncated (and perhaps refilled). */
    private boolean isTruncated(TailedFile file, FileChannel channel) throws IOException {
        return channel.size() < file.position()
                || !file.contentFingerprint().equals(fingerprinter.fingerprint(channel));
    }

    private boolean rewindIfDue(TailedFile file) {
        CommitWindow window = file.window();
        if (!window.rewindRequested()) {
            return true;
        }
        if (System.nanoTime() - window.failedAtNanos() < TimeUnit.MILLISECONDS.toNanos(config.getRetryDelay())) {
            return false;
        }
        long offset = window.rewind();
        LOG.warn("Delivery of {} failed; reading it again from offset {}", file.path(), offset);
        file.position(offset);
        file.reader().reset();
        file.waitingForLineEnd(false);
        return true;
    }

    private int readBatch(TailedFile file, FileChannel channel, long size) throws IOException {
        long base = file.position();
        int length = fill(channel, base, size);
        List<LogLine> lines = new ArrayList<>();
        String path = file.path().toString();
        String fingerprint = file.fingerprint();
        LineReader reader = file.reader();
        long splitBefore = reader.linesSplit() + reader.linesTruncated();
        int consumed = reader.read(buffer.array(), length, base, config.getMaxBatchLines(),
                (offset, text) -> lines.add(new LogLine(sourceId, path, fingerprint, offset, text)));
        reportLongLines(file, reader.linesSplit() + reader.linesTruncated() - splitBefore);
        file.position(base + consumed);
        // an unterminated last line: skip this file until it grows again
        file.waitingForLineEnd(base + length == size && consumed < length && lines.size() < config.getMaxBatchLines());
        if (lines.isEmpty()) {
            return 0;
        }
        return emit(file, lines) ? 1 : 0;
    }

    private int fill(FileChannel channel, long from, long size) throws IOException {
        buffer.clear();
        buffer.limit((int) Math.min(buffer.capacity(), size - from));
        long position = from;
        while (buffer.hasRemaining()) {
            int n = channel.read(buffer, position);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        return buffer.position();
    }

    private boolean emit(TailedFile file, List<LogLine> lines) {
        long start = file.window().nextStart();
        PendingRange range = file.window().open(start, file.position());
        if (range == null) {
            return false; // a failure arrived meanwhile: the next poll rewinds
        }
        Exchange exchange = createExchange(false);
        exchange.getMessage().setBody(new LogBatch(lines, List.of(range), range.length()));
        exchange.getMessage().setHeader(TailConstants.FILE_PATH, file.path().toString());
        exchange.getMessage().setHeader(TailConstants.FILE_FINGERPRINT, file.fingerprint());
        exchange.getMessage().setHeader(TailConstants.OFFSET, start);
        try {
            getProcessor().process(exchange);
        } catch (Exception e) {
            exchange.setException(e);
        }
        if (exchange.getException() != null) {
            range.failed();
            getExceptionHandler().handleException("Failed to hand over lines of " + file.path(), exchange,
                    exchange.getException());
        }
        return true;
    }

    private void truncated(TailedFile file) {
        byKey.remove(file.fileKey());
        file.markTruncated();
        nextScanNanos = System.nanoTime(); // look for the copy now
        LOG.warn("{} was truncated or replaced at offset {} (copytruncate?); following its new content from 0"
                + " and looking for a copy of the old one", file.path(), file.position());
    }

    /** Closes a file that was renamed, removed or truncated once it stopped growing and nothing is in flight. */
    private void finishIfIdle(TailedFile file) throws IOException {
        boolean gone = file.detached() || file.truncated();
        if (!gone || file.idleNanos() < TimeUnit.MILLISECONDS.toNanos(config.getRotateWait())
                || file.window().pendingRanges() > 0) {
            return;
        }
        if (file.detached() && flushUnterminatedLine(file)) {
            return;
        }
        if (file.truncated()) {
            LOG.warn("No copy of truncated {} (fingerprint {}) appeared; lines after offset {} of the old content"
                    + " could not be read. Include the rotated name in paths to keep them.", file.path(),
                    file.fingerprint(), file.position());
        } else {
            LOG.info("Finished {}: read to its end after it was renamed or removed", file.path());
        }
        file.closeChannel();
        byFingerprint.remove(file.fingerprint());
        byKey.remove(file.fileKey(), file);
    }

    /** A rotated file that will not grow any more may end without a newline: ship that last line too. */
    private boolean flushUnterminatedLine(TailedFile file) throws IOException {
        FileChannel channel = file.channel();
        long size = channel.size();
        if (size <= file.position()) {
            return false;
        }
        int length = fill(channel, file.position(), size);
        List<LogLine> lines = new ArrayList<>();
        String path = file.path().toString();
        file.reader().flushRemainder(buffer.array(), length, file.position(),
                (offset, text) -> lines.add(new LogLine(sourceId, path, file.fingerprint(), offset, text)));
        file.position(file.position() + length);
        return !lines.isEmpty() && emit(file, lines);
    }

    private void reportLongLines(TailedFile file, long count) {
        if (count > 0) {
            LOG.warn("{} line(s) of {} were longer than maxLineLength={} bytes and were {} (longLines option)",
                    count, file.path(), config.getMaxLineLength(),
                    config.getLongLines() == LongLines.split ? "split" : "truncated");
        }
    }
}
