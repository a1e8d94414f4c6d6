package io.logferry.listener;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The directory name of a source under the ingest directory. A CN is kept as it is when it is a plain name
 * ({@code [A-Za-z0-9._-]}, not {@code .} or {@code ..}); any other CN gets its odd characters replaced and a
 * hash of the whole CN appended, so it can neither leave the ingest directory nor share a directory with
 * another CN.
 */
final class SourceDirectory {

    private SourceDirectory() {
    }

    static String of(String source) {
        StringBuilder name = new StringBuilder(source.length());
        boolean changed = source.isEmpty() || source.equals(".") || source.equals("..") || source.length() > 128;
        for (int i = 0; i < source.length() && i < 128; i++) {
            char c = source.charAt(i);
            boolean plain = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.'
                    || c == '-' || c == '_';
            name.append(plain ? c : '_');
            changed |= !plain;
        }
        return changed ? name + "-" + hash(source) : name.toString();
    }

    private static String hash(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
