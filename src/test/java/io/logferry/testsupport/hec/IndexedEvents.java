package io.logferry.testsupport.hec;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * What the fake Splunk has indexed, in arrival order. A batch becomes visible at its due time (the request's
 * time plus the indexing delay), the moment its ack id turns true; batches wait in a queue, and every read
 * first moves the due ones in, so no timer thread is needed.
 * <p>
 * Besides (or, for benchmarks, instead of) keeping the events, it counts them and records the {@code seq=N}
 * number each event's text carries (the first one; logferry's test lines carry {@code seq="N"} in their
 * structured data), so a test can tell lost lines from duplicated ones without holding millions of events.
 */
final class IndexedEvents {

    private record Batch(long dueNanos, List<HecEvent> events, long[] seqs) {
    }

    private final boolean retain;
    private final List<HecEvent> events = new ArrayList<>();
    private final ArrayDeque<Batch> pending = new ArrayDeque<>();
    private final BitSet seen = new BitSet();
    private long count;
    private long distinct;
    private long duplicates;

    IndexedEvents(boolean retain) {
        this.retain = retain;
    }

    boolean retains() {
        return retain;
    }

    /** Indexes {@code batch} at {@code dueNanos} ({@link System#nanoTime()} clock). */
    void index(List<HecEvent> batch, long dueNanos) {
        if (batch.isEmpty()) {
            return;
        }
        long[] seqs = new long[batch.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = seqOf(batch.get(i).event()); // outside the lock: this is the per-event work
        }
        synchronized (this) {
            pending.add(new Batch(dueNanos, retain ? batch : List.of(), seqs));
            drainDue(System.nanoTime());
        }
    }

    /**
     * Moves every batch due by {@code nowNanos} into the index, wherever it waits in the queue: its ack id
     * turns true at its due time, so it must be visible then even behind a slower batch (the indexing delay
     * can change between requests), or a crash would drop events whose ack was already reported true.
     */
    synchronized void drainDue(long nowNanos) {
        for (java.util.Iterator<Batch> it = pending.iterator(); it.hasNext(); ) {
            Batch b = it.next();
            if (b.dueNanos - nowNanos > 0) {
                continue;
            }
            it.remove();
            events.addAll(b.events);
            count += b.seqs.length;
            for (long seq : b.seqs) {
                if (seq < 0) {
                    continue;
                }
                if (seen.get((int) seq)) {
                    duplicates++;
                } else {
                    seen.set((int) seq);
                    distinct++;
                }
            }
        }
    }

    synchronized long count() {
        drainDue(System.nanoTime());
        return count;
    }

    synchronized long distinctSeqs() {
        drainDue(System.nanoTime());
        return distinct;
    }

    synchronized long duplicates() {
        drainDue(System.nanoTime());
        return duplicates;
    }

    /** Whether an event with {@code seq=N} has been indexed. */
    synchronized boolean hasSeq(long seq) {
        drainDue(System.nanoTime());
        return seq >= 0 && seq <= Integer.MAX_VALUE && seen.get((int) seq);
    }

    synchronized List<HecEvent> events() {
        if (!retain) {
            throw new IllegalStateException("this server counts events without keeping them (retainEvents(false))");
        }
        drainDue(System.nanoTime());
        return List.copyOf(events);
    }

    /** Loses the batches accepted but not indexed yet (an indexer that crashed); returns how many events. */
    synchronized long dropPending() {
        drainDue(System.nanoTime());
        long lost = 0;
        for (Batch b : pending) {
            lost += b.seqs.length;
        }
        pending.clear();
        return lost;
    }

    /** Forgets everything indexed or waiting to be. */
    synchronized void clear() {
        events.clear();
        pending.clear();
        seen.clear();
        count = 0;
        distinct = 0;
        duplicates = 0;
    }

    /** The number after the first {@code seq=} (optionally quoted) in {@code text}; -1 when there is none. */
    static long seqOf(String text) {
        int at = text.indexOf("seq=");
        if (at < 0) {
            return -1;
        }
        int i = at + 4;
        if (i < text.length() && text.charAt(i) == '"') {
            i++;
        }
        long n = -1;
        for (; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                break;
            }
            n = (n < 0 ? 0 : n * 10) + (c - '0');
            if (n > Integer.MAX_VALUE) {
                return -1; // beyond what a BitSet indexes; not a test sequence number
            }
        }
        return n;
    }
}
