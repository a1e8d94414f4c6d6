package io.logferry.listener;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.SQLException;
import java.time.LocalDate;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The ingest files of a listener, {@code <dir>/<source>/<yyyy-MM-dd>.log} (UTC date of receipt), each appended
 * by one {@link IngestAppender}. At start-up every file is cut back to its committed length (bytes after it
 * were written by a run that died before acknowledging them). Used by the writer thread only.
 */
final class IngestFiles implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(IngestFiles.class);

    private final Path dir;
    private final boolean fsync;
    private final Map<Path, IngestAppender> open = new HashMap<>();
    private final Map<Path, IngestAppender> touched = new LinkedHashMap<>();
    private LocalDate day;
    private boolean dayChanged;

    IngestFiles(Path dir, boolean fsync) {
        this.dir = dir.toAbsolutePath().normalize();
        this.fsync = fsync;
    }

    /** Cuts every ingest file back to what the state says was committed; forgets files that are gone. */
    void recover(ListenerState state) throws IOException, SQLException {
        Map<Path, Long> committed = state.committedLengths();
        for (Map.Entry<Path, Long> entry : committed.entrySet()) {
            if (!Files.exists(entry.getKey())) {
                state.forget(entry.getKey());
            }
        }
        if (!Files.isDirectory(dir)) {
            return;
        }
        try (Stream<Path> files = Files.find(dir, 2, (p, a) -> a.isRegularFile() && p.toString().endsWith(".log"))) {
            for (Path file : (Iterable<Path>) files::iterator) {
                cutBack(file, committed.getOrDefault(file, 0L));
            }
        }
    }

    private static void cutBack(Path file, long length) throws IOException {
        long size = Files.size(file);
        if (size > length) {
            try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
                channel.truncate(length);
            }
            LOG.warn("Ingest file {}: cut {} unacknowledged byte(s) written before a crash (their senders send them"
                    + " again)", file, size - length);
        } else if (size < length) {
            LOG.error("Ingest file {} is {} bytes, shorter than the {} committed: it was edited or lost writes (a"
                    + " power failure with fsync=false). Appending at its end.", file, size, length);
        }
    }

    /** The appender of {@code source}'s file of {@code today}. */
    IngestAppender appender(String source, LocalDate today) throws IOException {
        if (!today.equals(day)) {
            dayChanged = day != null;
            day = today;
        }
        String directory = SourceDirectory.of(source);
        Path path = dir.resolve(directory).resolve(today + ".log");
        IngestAppender appender = open.get(path);
        if (appender == null) {
            if (!directory.equals(source)) {
                LOG.info("Ingest: source '{}' (certificate CN) writes to directory {}", source, directory);
            }
            appender = new IngestAppender(path);
            open.put(path, appender);
        }
        touched.putIfAbsent(path, appender);
        return appender;
    }

    /** Flushes the files written since the last commit; returns their new lengths. */
    Map<Path, Long> flush() throws IOException {
        Map<Path, Long> lengths = new HashMap<>();
        for (IngestAppender appender : touched.values()) {
            lengths.put(appender.path(), appender.flush(fsync));
        }
        return lengths;
    }

    void committed() {
        touched.values().forEach(IngestAppender::committed);
        touched.clear();
        if (dayChanged) {
            // yesterday's files are complete: close them now that nothing of theirs is uncommitted
            String current = day + ".log";
            open.entrySet().removeIf(e -> {
                boolean old = !e.getKey().getFileName().toString().equals(current);
                if (old) {
                    closeQuietly(e.getValue());
                }
                return old;
            });
            dayChanged = false;
        }
    }

    /** Cuts the files written since the last commit back to it. */
    void rollback() {
        for (IngestAppender appender : touched.values()) {
            try {
                appender.rollback();
            } catch (IOException e) {
                LOG.error("Cannot cut {} back after a failed write: {}. It is cut at the next start.",
                        appender.path(), e.getMessage());
                open.remove(appender.path());
                closeQuietly(appender);
            }
        }
        touched.clear();
    }

    private void closeAll() {
        open.values().forEach(IngestFiles::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(IngestAppender appender) {
        try {
            appender.close();
        } catch (IOException ignored) {
            // already flushed and committed, or cut back at the next start
        }
    }

    @Override
    public void close() {
        closeAll();
    }
}
