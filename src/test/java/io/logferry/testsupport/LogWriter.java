package io.logferry.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Appends numbered RFC 5424 lines ({@code seq=N}) to a log file the way applications do, and rotates it
 * the two ways logrotate does. Every method holds the writer's lock, so a copytruncate never falls between
 * two writes (that window loses lines in every tool and is not what the tests measure).
 */
public final class LogWriter implements AutoCloseable {

    private final Path path;
    private final String host;
    private OutputStream out;
    private long next;

    public LogWriter(Path path) throws IOException {
        this(path, "host-a");
    }

    /** @param host the HOSTNAME written in each line, so files of different writers differ from the first line */
    public LogWriter(Path path, String host) throws IOException {
        this.path = path;
        this.host = host;
        Files.createDirectories(path.getParent());
        this.out = open();
    }

    public static String line(long seq) {
        return line("host-a", seq);
    }

    public static String line(String host, long seq) {
        return "<134>1 2026-11-23T10:00:00.000000Z " + host + " app " + (seq % 97) + " MSG [meta@1 seq=\"" + seq
                + "\"] payload for line seq=" + seq;
    }

    /** Appends the next n lines, flushed to the file. */
    public synchronized void write(int n) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n; i++) {
            sb.append(line(host, next++)).append('\n');
        }
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    public synchronized long written() {
        return next;
    }

    /** Rename + create: the file moves to {@code rotatedName}; writes continue on the old handle. */
    public synchronized Path renameTo(String rotatedName) throws IOException {
        Path rotated = path.resolveSibling(rotatedName);
        Files.move(path, rotated, StandardCopyOption.ATOMIC_MOVE);
        return rotated;
    }

    /** After a rename: the writer reopens its path, creating the new file. */
    public synchronized void reopen() throws IOException {
        out.close();
        out = open();
    }

    /** Copytruncate: copies the file to {@code copyName}, then truncates it to zero. */
    public synchronized void copyTruncate(String copyName) throws IOException {
        Files.copy(path, path.resolveSibling(copyName), StandardCopyOption.COPY_ATTRIBUTES);
        try (var ch = Files.newByteChannel(path, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
    }

    private OutputStream open() throws IOException {
        return Files.newOutputStream(path, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Override
    public synchronized void close() throws IOException {
        out.close();
    }
}
