package io.logferry.runtime;

import javax.management.remote.JMXAuthenticator;
import javax.management.remote.JMXPrincipal;
import javax.security.auth.Subject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Checks remote JMX logins against a password file in the JDK's {@code jmxremote.password} format: one
 * {@code user password} pair per line, {@code #} starts a comment. Like the JDK, it refuses a file that users
 * other than its owner may read. The file is read again at every login, so a changed password takes effect
 * without a restart. Every user in the file may read and operate every MBean (stop and start routes).
 */
final class JmxPasswordAuthenticator implements JMXAuthenticator {

    private final Path file;

    JmxPasswordAuthenticator(Path file) throws IOException {
        this.file = file;
        if (read().isEmpty()) {
            throw new IOException(file + " holds no 'user password' line");
        }
    }

    @Override
    public Subject authenticate(Object credentials) {
        if (!(credentials instanceof String[] pair) || pair.length != 2 || pair[0] == null || pair[1] == null) {
            throw new SecurityException("Authentication failed: give a user name and a password");
        }
        Map<String, String> users;
        try {
            users = read();
        } catch (IOException e) {
            throw new SecurityException("Authentication failed: the password file cannot be read");
        }
        String expected = users.get(pair[0]);
        byte[] given = pair[1].getBytes(StandardCharsets.UTF_8);
        boolean ok = expected != null && MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given);
        if (!ok) {
            throw new SecurityException("Authentication failed: unknown user or wrong password");
        }
        return new Subject(true, Set.of(new JMXPrincipal(pair[0])), Set.of(), Set.of());
    }

    private Map<String, String> read() throws IOException {
        PosixFileAttributeView posix = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        if (posix != null) {
            Set<PosixFilePermission> permissions = posix.readAttributes().permissions();
            if (permissions.contains(PosixFilePermission.GROUP_READ)
                    || permissions.contains(PosixFilePermission.OTHERS_READ)) {
                throw new IOException(file + " may be read by other users; restrict it to its owner"
                        + " (chmod 600 " + file + ")");
            }
        }
        Map<String, String> users = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String entry = line.strip();
            if (entry.isEmpty() || entry.startsWith("#")) {
                continue;
            }
            String[] parts = entry.split("\\s+", 2);
            if (parts.length == 2) {
                users.put(parts[0], parts[1].strip());
            }
        }
        return users;
    }
}
