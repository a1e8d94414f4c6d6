package io.logferry.listener;

import java.util.List;

/**
 * Where a listener stores what it received: ingest files or the event store. {@link #store} handles one group of
 * batches and returns only when what it kept is durable; if it throws, nothing of the group counts as stored.
 * Called by the listener's writer thread only.
 */
interface ListenerOutput extends AutoCloseable {

    /**
     * Frames kept, frames dropped as repeats of stored ones, and frames whose origin element was refused (an
     * offset that does not fit a long): those are kept, without deduplication.
     */
    record Stored(int frames, int duplicates, int invalidOrigins) {
    }

    Stored store(List<ReceivedFrames> group) throws Exception;

    @Override
    void close();
}
