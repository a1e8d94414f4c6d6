package io.logferry.listener;

import java.util.List;

/**
 * Where a listener stores what it received: ingest files or the event store. {@link #store} handles one group of
 * batches and returns only when what it kept is durable; if it throws, nothing of the group counts as stored.
 * Called by the listener's writer thread only.
 */
interface ListenerOutput extends AutoCloseable {

    /** Frames kept and frames dropped as repeats of stored ones. */
    record Stored(int frames, int duplicates) {
    }

    Stored store(List<ReceivedFrames> group) throws Exception;

    @Override
    void close();
}
