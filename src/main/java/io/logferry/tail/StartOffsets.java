package io.logferry.tail;

import org.apache.camel.spi.StateRepository;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Decides where reading of a newly seen file starts: its saved offset, its head, or its end. */
final class StartOffsets {

    private static final Logger LOG = LoggerFactory.getLogger(StartOffsets.class);
    private static final int TAIL_SEARCH_BYTES = 64 * 1024;

    /** Where to start, and whether that start must be saved because no range will ever cover it. */
    record Start(long offset, boolean save) {
    }

    private final StateRepository<String, String> repository;
    private final String keyPrefix;
    private final ReadFrom readFrom;

    StartOffsets(StateRepository<String, String> repository, String keyPrefix, ReadFrom readFrom) {
        this.repository = repository;
        this.keyPrefix = keyPrefix;
        this.readFrom = readFrom;
    }

    String key(String fingerprint) {
        return keyPrefix + "/" + fingerprint;
    }

    /** True if an offset was saved for this identity. */
    boolean isKnown(String identity) {
        return repository.getState(key(identity)) != null;
    }

    Start start(String fingerprint, FileChannel channel, boolean presentAtStart) throws IOException {
        String saved = repository.getState(key(fingerprint));
        long size = channel.size();
        if (saved != null) {
            long offset = Long.parseLong(saved);
            if (offset <= size) {
                return new Start(offset, false);
            }
            LOG.warn("File with fingerprint {} is shorter ({} bytes) than its saved offset {}: it was rewritten;"
                    + " reading it from the start", fingerprint, size, offset);
            return new Start(0, true);
        }
        if (presentAtStart && readFrom == ReadFrom.tail) {
            return new Start(afterLastNewline(channel, size), true);
        }
        return new Start(0, false);
    }

    /** The end of the last complete line, so a line being written at start-up is not shipped in half. */
    private static long afterLastNewline(FileChannel channel, long size) throws IOException {
        long from = Math.max(0, size - TAIL_SEARCH_BYTES);
        ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
        channel.read(buf, from);
        for (int i = buf.position() - 1; i >= 0; i--) {
            if (buf.get(i) == '\n') {
                return from + i + 1;
            }
        }
        return from == 0 ? 0 : size;
    }
}
