package io.logferry.listener;

import io.logferry.rfc5424.Origin;

import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stores frames in the per-source ingest files: drops frames at or below their (source, file) high-water mark,
 * appends the rest, flushes, then commits the new marks and file lengths together. A failure cuts the files
 * back to the last commit.
 */
final class IngestFilesOutput implements ListenerOutput {

    private final IngestFiles files;
    private final ListenerState state;
    private final boolean dedup;
    private final Clock clock;

    IngestFilesOutput(IngestFiles files, ListenerState state, boolean dedup, Clock clock) {
        this.files = files;
        this.state = state;
        this.dedup = dedup;
        this.clock = clock;
    }

    @Override
    public Stored store(List<ReceivedFrames> group) throws Exception {
        Map<ListenerState.MarkKey, Long> marks = new HashMap<>();
        int duplicates = 0;
        int stored = 0;
        int invalid = 0;
        try {
            LocalDate today = LocalDate.now(clock);
            for (ReceivedFrames batch : group) {
                String source = batch.connection().source();
                IngestAppender appender = null;
                for (byte[] frame : batch.frames()) {
                    Origin origin = dedup ? Origin.find(frame) : null;
                    if (origin != null && !origin.valid()) {
                        invalid++;
                    } else if (origin != null && isRepeat(source, origin, marks)) {
                        duplicates++;
                        continue;
                    }
                    if (appender == null) {
                        appender = files.appender(source, today);
                    }
                    appender.append(frame);
                    stored++;
                }
            }
            Map<Path, Long> lengths = files.flush();
            state.commit(marks, lengths);
            files.committed();
        } catch (Exception e) {
            files.rollback();
            throw e;
        }
        return new Stored(stored, duplicates, invalid);
    }

    /** True when the origin is at or below its mark; otherwise raises the mark (in {@code marks}). */
    private boolean isRepeat(String source, Origin origin, Map<ListenerState.MarkKey, Long> marks) {
        ListenerState.MarkKey key = new ListenerState.MarkKey(source, origin.file());
        Long pending = marks.get(key);
        long high = pending != null ? pending : state.mark(key);
        if (origin.offset() <= high) {
            return true;
        }
        marks.put(key, origin.offset());
        return false;
    }

    @Override
    public void close() {
        files.close();
        state.close();
    }
}
