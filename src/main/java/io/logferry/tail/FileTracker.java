package io.logferry.tail;

import io.logferry.offset.CommitWindow;
import io.logferry.offset.InflightBudget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Knows which file is which (DESIGN invariant 4). Open files are tracked by inode; every file is known by
 * its identity: the fingerprint of its first line, or, for a different file that starts with the same line,
 * that fingerprint plus an inode hint. A new inode with a known fingerprint is the copy copytruncate made
 * (followed at the old position once the original was truncated) or a duplicate (not read twice).
 * Used by the consumer's polling thread; {@link #committedOffsets()} and {@link #status()} may be called from
 * any thread.
 */
final class FileTracker {

    private static final Logger LOG = LoggerFactory.getLogger(FileTracker.class);
    private static final int PREFIX_COMPARE_BYTES = 64 * 1024;

    private final TailConfiguration config;
    private final Fingerprinter fingerprinter;
    private final StartOffsets startOffsets;
    private final InflightBudget budget;
    private final Map<Object, TailedFile> byKey = new HashMap<>();
    private final Map<String, TailedFile> byIdentity = new ConcurrentHashMap<>();
    private final Set<String> reportedDuplicates = new HashSet<>();

    FileTracker(TailConfiguration config, Fingerprinter fingerprinter, StartOffsets startOffsets,
                InflightBudget budget) {
        this.config = config;
        this.fingerprinter = fingerprinter;
        this.startOffsets = startOffsets;
        this.budget = budget;
    }

    /** Takes in the paths the globs match now: new files are followed, missing ones detached. */
    void update(Set<Path> paths, boolean atStart) throws IOException {
        // a truncation must be known before a new file is taken for its copy or for a stranger; a file whose
        // size is what it was when last read costs no read here (a truncation refilled to exactly that size
        // is noticed when the file grows, by the reader's own check)
        for (TailedFile file : byIdentity.values()) {
            if (!file.truncated() && file.isOpen() && file.sizeChanged(file.channel().size())
                    && isTruncated(file, file.channel())) {
                markTruncated(file);
            }
        }
        Set<TailedFile> seen = new HashSet<>();
        for (Path path : paths) {
            TailedFile file = identify(path, atStart);
            if (file != null) {
                seen.add(file);
            }
        }
        for (TailedFile file : byIdentity.values()) {
            if (!seen.contains(file) && !file.detached() && !file.truncated()) {
                file.detach();
                LOG.info("{} was renamed or removed; reading it to its end", file.path());
            }
        }
    }

    /** The files followed now, in no particular order. */
    List<TailedFile> files() {
        return new ArrayList<>(byIdentity.values());
    }

    /** Identity to committed offset of every file followed now. */
    Map<String, Long> committedOffsets() {
        Map<String, Long> files = new TreeMap<>();
        byIdentity.forEach((identity, file) -> files.put(identity, file.window().committed()));
        return files;
    }

    /** Nanotime since which the oldest unconfirmed byte of any followed file has waited; 0 when none waits. */
    long unconfirmedSinceNanos() {
        long oldest = 0;
        for (TailedFile file : byIdentity.values()) {
            long since = file.window().unconfirmedSinceNanos();
            if (since != 0 && (oldest == 0 || since - oldest < 0)) {
                oldest = since;
            }
        }
        return oldest;
    }

    /** The state of every file followed now, ordered by path. */
    List<TailedFileStatus> status() {
        List<TailedFileStatus> status = new ArrayList<>();
        byIdentity.values().forEach(file -> status.add(file.status()));
        status.sort(Comparator.comparing(TailedFileStatus::path).thenComparing(TailedFileStatus::fingerprint));
        return status;
    }

    /** Shorter than what was read, or another first line: the file was truncated (and perhaps refilled). */
    boolean isTruncated(TailedFile file, FileChannel channel) throws IOException {
        return channel.size() < file.position()
                || !file.contentFingerprint().equals(fingerprinter.fingerprint(channel));
    }

    /** The inode now holds new content; the old identity waits for its copy to appear. */
    void markTruncated(TailedFile file) {
        byKey.remove(file.fileKey());
        file.markTruncated();
        LOG.warn("{} was truncated or replaced at offset {} (copytruncate?); following its new content from 0"
                + " and looking for a copy of the old one", file.path(), file.position());
    }

    /** Stops following a file: it is closed and forgotten (its saved offset stays). */
    void forget(TailedFile file) {
        file.closeChannel();
        byIdentity.remove(file.identity());
        byKey.remove(file.fileKey(), file);
    }

    void closeAll() {
        byIdentity.values().forEach(TailedFile::closeChannel);
        byIdentity.clear();
        byKey.clear();
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
        TailedFile existing = byIdentity.get(fingerprint);
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
        byIdentity.put(identity, file);
        LOG.info("Following {} (fingerprint {}) from offset {}", path, identity, start.offset());
        return file;
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
            LOG.info("Continuing fingerprint {} in {} at offset {}", existing.identity(), path, existing.position());
            return existing;
        }
        channel.close();
        if (reportedDuplicates.add(existing.identity() + path)) {
            LOG.info("{} is a copy of {} (fingerprint {}); it is read only if the original is truncated",
                    path, existing.path(), existing.identity());
        }
        return existing;
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
}
