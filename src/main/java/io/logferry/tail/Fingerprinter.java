package io.logferry.tail;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Computes a file's identity from its first line (at most {@code maxBytes} of it), so a file keeps its
 * identity across renames and a new file at an old path or inode gets a new one (DESIGN invariant 4).
 * A file whose first line is not complete yet and shorter than maxBytes has no fingerprint: it is not read
 * until it has one, as in Vector's checksum fingerprint.
 */
public final class Fingerprinter {

    private final int maxBytes;

    public Fingerprinter(int maxBytes) {
        if (maxBytes < 16) {
            throw new IllegalArgumentException("fingerprintBytes must be at least 16, was " + maxBytes);
        }
        this.maxBytes = maxBytes;
    }

    /** Returns the fingerprint (16 hex digits), or null while the file's first line is still incomplete. */
    public String fingerprint(FileChannel channel) throws IOException {
        ByteBuffer head = ByteBuffer.allocate(maxBytes);
        long position = 0;
        while (head.hasRemaining()) {
            int n = channel.read(head, position);
            if (n <= 0) {
                break;
            }
            position += n;
        }
        byte[] bytes = head.array();
        int length = firstLineLength(bytes, head.position());
        return length < 0 ? null : digest(bytes, length);
    }

    private int firstLineLength(byte[] bytes, int available) {
        for (int i = 0; i < available; i++) {
            if (bytes[i] == '\n') {
                return i + 1;
            }
        }
        return available == maxBytes ? available : -1;
    }

    private static String digest(byte[] bytes, int length) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(bytes, 0, length);
            return HexFormat.of().formatHex(sha.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
        }
    }
}
