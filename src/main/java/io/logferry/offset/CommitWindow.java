package io.logferry.offset;

import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The outstanding ranges of one file, in the order they were read. Ranges may be confirmed in any order
 * and from any thread; the committed offset moves only over the contiguous prefix of confirmed ranges
 * (DESIGN invariant 2, as Kafka Connect's SubmittedRecords). A failed range makes the window ask its reader
 * to rewind to the committed offset: everything after it is read and sent again, and ranges still in flight
 * from before the rewind no longer count. The rewind waits until those ranges have ended, so only one copy of
 * a range is ever in flight, and the ones their sink confirmed are remembered ({@link #deliveredAhead()}), so
 * the reader sends again only what was not delivered. The window also knows since when its oldest byte has
 * been unconfirmed, so a stalled sink shows (DESIGN invariant 11). Thread-safe.
 */
public final class CommitWindow {

    private static final Logger LOG = LoggerFactory.getLogger(CommitWindow.class);

    private final String key;
    private final StateRepository<String, String> repository;
    private final InflightBudget budget;
    private final Deque<PendingRange> pending = new ArrayDeque<>();
    private long committed;
    private long nextStart;
    private long generation;
    private boolean rewindRequested;
    private long failedAtNanos;
    /** Ranges of earlier generations not yet ended: a rewind waits for them. */
    private int staleInFlight;
    /** When the byte at {@link #committed} was first read; 0 while nothing is unconfirmed. */
    private long unconfirmedSinceNanos;
    /** Bytes before this offset are being read again: they count as unconfirmed since {@link #rereadSinceNanos}. */
    private long rereadUntil;
    private long rereadSinceNanos;
    /**
     * Ranges after a failed one that their sink confirmed before the rewind, start to end: the reader skips
     * their lines when it reads those bytes again, so a failure resends only what was not delivered.
     */
    private final NavigableMap<Long, Long> deliveredAhead = new TreeMap<>();

    /**
     * @param key        the repository key under which the committed offset is saved
     * @param committed  the offset already committed (where reading starts)
     * @param repository where committed offsets are saved
     * @param budget     the consumer's in-flight byte budget
     */
    public CommitWindow(String key, long committed, StateRepository<String, String> repository,
                        InflightBudget budget) {
        this.key = key;
        this.committed = committed;
        this.nextStart = committed;
        this.repository = repository;
        this.budget = budget;
    }

    /**
     * Opens the next range. Returns null when a failure asked for a rewind since the caller last looked:
     * the caller must then discard what it read and call {@link #rewind()}.
     */
    public synchronized PendingRange open(long start, long end) {
        if (rewindRequested) {
            return null;
        }
        if (start != nextStart || end < start) {
            throw new IllegalStateException("Range [" + start + "," + end + ") of " + key
                    + " does not follow the previous one, which ended at " + nextStart);
        }
        long now = System.nanoTime();
        long since = start < rereadUntil ? rereadSinceNanos : now;
        PendingRange range = new PendingRange(this, generation, start, end, since);
        if (pending.isEmpty() && unconfirmedSinceNanos == 0) {
            unconfirmedSinceNanos = since;
        }
        pending.addLast(range);
        nextStart = end;
        budget.acquire(range.length());
        return range;
    }

    /** Saves a starting offset that no range covers (reading a new file from its end). */
    public synchronized void commitStart(long offset) {
        if (!pending.isEmpty()) {
            throw new IllegalStateException("Cannot move the start of " + key + " with ranges in flight");
        }
        committed = offset;
        nextStart = offset;
        save();
    }

    void complete(PendingRange range) {
        budget.release(range.length());
        synchronized (this) {
            range.ended();
            if (range.generation() != generation) {
                staleInFlight--; // sent before a rewind: the re-read copy of these bytes decides
                if (range.isDelivered()) {
                    deliveredAhead.put(range.start(), range.end());
                }
                return;
            }
            if (!range.isDelivered()) {
                requestRewind();
                return;
            }
            advance();
        }
    }

    /** True when a failed range asked for a rewind that the reader has not performed yet. */
    public synchronized boolean rewindRequested() {
        return rewindRequested;
    }

    /**
     * True when a rewind was asked for and no range from before it is still in flight: the reader may read
     * those bytes again without a second copy of them being sent while the first is still being retried.
     */
    public synchronized boolean rewindReady() {
        return rewindRequested && staleInFlight == 0;
    }

    /** Ranges sent before the last rewind that have not ended yet. */
    public synchronized int staleInFlight() {
        return staleInFlight;
    }

    /**
     * The ranges confirmed after the committed offset before a rewind, as [start, end) pairs in order, or an
     * empty list: lines starting in them were delivered and need not be sent again.
     */
    public synchronized List<long[]> deliveredAhead() {
        if (deliveredAhead.isEmpty()) {
            return List.of();
        }
        List<long[]> ranges = new ArrayList<>(deliveredAhead.size());
        deliveredAhead.forEach((start, end) -> ranges.add(new long[] {start, end}));
        return ranges;
    }

    /** Nanotime since which the oldest unconfirmed byte has waited for its sink; 0 when nothing waits. */
    public synchronized long unconfirmedSinceNanos() {
        return unconfirmedSinceNanos;
    }

    /** Nanotime of the last failure, so the reader can wait before reading the same bytes again. */
    public synchronized long failedAtNanos() {
        return failedAtNanos;
    }

    /** Performs a requested rewind: returns the committed offset, where the reader must continue. */
    public synchronized long rewind() {
        rewindRequested = false;
        nextStart = committed;
        return committed;
    }

    /** Where the next range must start: the end of the last one opened, or the committed offset. */
    public synchronized long nextStart() {
        return nextStart;
    }

    public synchronized long committed() {
        return committed;
    }

    public synchronized int pendingRanges() {
        return pending.size();
    }

    public String key() {
        return key;
    }

    private void requestRewind() {
        rewindRequested = true;
        failedAtNanos = System.nanoTime();
        generation++;
        for (PendingRange range : pending) {
            if (!range.hasEnded()) {
                staleInFlight++;
            } else if (range.isDelivered()) {
                deliveredAhead.put(range.start(), range.end());
            }
        }
        rereadUntil = Math.max(rereadUntil, nextStart);
        rereadSinceNanos = unconfirmedSinceNanos;
        pending.clear();
    }

    private void advance() {
        long before = committed;
        while (!pending.isEmpty() && pending.peekFirst().isDelivered()) {
            committed = pending.removeFirst().end();
        }
        if (committed != before) {
            unconfirmedSinceNanos = pending.isEmpty() ? 0 : pending.peekFirst().sinceNanos();
            deliveredAhead.headMap(committed, false).entrySet().removeIf(range -> range.getValue() <= committed);
            save();
        }
    }

    private void save() {
        try {
            repository.setState(key, Long.toString(committed));
        } catch (RuntimeException e) {
            // The offset stays in memory and is saved with the next commit; a crash before that replays
            // lines the sink already has, which its origin keys make harmless.
            LOG.error("Could not save offset {} of {}: {}", committed, key, e.getMessage());
        }
    }
}
