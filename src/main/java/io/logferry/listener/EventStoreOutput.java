package io.logferry.listener;

import io.logferry.batch.LogBatch;
import io.logferry.batch.LogLine;
import io.logferry.sink.store.EventStoreWriter;
import io.logferry.rfc5424.Origin;

import java.util.ArrayList;
import java.util.List;

/**
 * Stores frames in the JDBC event store, the client's CN as the source. A frame with an origin element is keyed
 * by (CN, origin file, origin offset), so the store's unique key drops a forwarder's resend; a frame without one
 * is keyed by its connection and position, so it is stored once per time it was sent.
 */
final class EventStoreOutput implements ListenerOutput {

    private final EventStoreWriter writer;

    EventStoreOutput(EventStoreWriter writer) {
        this.writer = writer;
    }

    @Override
    public Stored store(List<ReceivedFrames> group) throws Exception {
        List<LogLine> lines = new ArrayList<>();
        long bytes = 0;
        int invalid = 0;
        long now = System.currentTimeMillis(); // one read time for the group: the lines arrived together
        for (ReceivedFrames batch : group) {
            ListenerConnection connection = batch.connection();
            long number = batch.endFrame() - batch.frames().size();
            for (byte[] frame : batch.frames()) {
                number++;
                Origin origin = Origin.find(frame);
                if (origin != null && !origin.valid()) {
                    invalid++;
                    origin = null;
                }
                lines.add(origin != null
                        ? new LogLine(connection.source(), "syslog", origin.file(), origin.offset(), frame, 0,
                                frame.length, now)
                        : new LogLine(connection.source(), "syslog", connection.id(), number, frame, 0, frame.length,
                                now));
            }
            bytes += batch.bytes();
        }
        int inserted = writer.write(new LogBatch(lines, List.of(), bytes));
        return new Stored(inserted, lines.size() - inserted, invalid);
    }

    @Override
    public void close() {
        writer.stop();
    }
}
