package io.logferry.tls;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Writes PKI files so that a key is never readable by others, not even for a moment, and a half-written file is
 * never left under the final name: each file is written to a temporary file created with mode 0600 in the same
 * directory, synced, then moved into place. Existing files are replaced only when asked to.
 */
final class PkiFiles {

    static final Set<PosixFilePermission> SECRET = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");
    private static final Set<PosixFilePermission> PRIVATE_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PkiFiles() {
    }

    /**
     * Fails, naming every existing target, unless {@code force} is set; checked before anything is written, so a
     * refused command changes nothing.
     */
    static void refuseOverwrite(List<Path> targets, boolean force, String consequence) {
        if (force) {
            return;
        }
        List<Path> existing = targets.stream().filter(Files::exists).toList();
        if (!existing.isEmpty()) {
            throw new TlsSetupException(existing.stream().map(Path::toString).collect(Collectors.joining(", "))
                    + (existing.size() == 1 ? " already exists" : " already exist")
                    + "; pass --force to replace " + (existing.size() == 1 ? "it" : "them")
                    + (consequence.isEmpty() ? "" : " (" + consequence + ")") + ", or choose another --dir");
        }
    }

    /** Creates {@code directory} (mode 0700 where the file system has POSIX modes) unless it exists. */
    static void createDirectory(Path directory) {
        try {
            if (Files.isDirectory(directory)) {
                return;
            }
            Path parent = directory.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (posix(parent)) {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PRIVATE_DIRECTORY));
            } else {
                Files.createDirectory(directory);
            }
        } catch (FileAlreadyExistsException e) {
            throw new TlsSetupException(directory + " exists but is not a directory; choose another --dir", e);
        } catch (IOException e) {
            throw new TlsSetupException("cannot create directory " + directory + ": " + e.getMessage()
                    + "; check the path and its permissions", e);
        }
    }

    /** Writes {@code content} to {@code target}, mode 0600 when {@code secret}, else 0644. */
    static void write(Path target, byte[] content, boolean secret) {
        Path directory = target.toAbsolutePath().getParent();
        boolean posix = posix(directory);
        Path temporary = null;
        try {
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(SECRET)} : new FileAttribute<?>[0];
            temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp", attributes);
            try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix && !secret) {
                Files.setPosixFilePermissions(temporary, PUBLIC);
            }
            move(temporary, target);
            temporary = null;
        } catch (IOException e) {
            throw new TlsSetupException("cannot write " + target + ": " + e.getMessage()
                    + "; check that the directory is writable and the disk not full", e);
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException ignored) {
                    // the write already failed and says so; a stray temporary file is the lesser problem
                }
            }
        }
    }

    /** Removes {@code target} if it exists. */
    static void delete(Path target) {
        try {
            Files.deleteIfExists(target);
        } catch (IOException e) {
            throw new TlsSetupException("cannot remove " + target + ": " + e.getMessage(), e);
        }
    }

    private static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static boolean posix(Path directory) {
        return directory != null && Files.getFileAttributeView(directory, PosixFileAttributeView.class) != null;
    }
}
