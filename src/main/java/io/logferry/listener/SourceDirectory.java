package io.logferry.listener;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The directory name of a source (a certificate CN) under the ingest directory. The mapping is injective and
 * never gives a hidden or special name: letters, digits, {@code -}, {@code _} and {@code .} (except a leading
 * one) stay as they are; every other byte of the CN's UTF-8, {@code %} included, becomes {@code %XX}. So
 * {@code web-1.example} stays {@code web-1.example}, {@code a b} is {@code a%20b}, {@code .hidden} is
 * {@code %2Ehidden}, and no two CNs share a directory. A name longer than {@value #MAX_LENGTH} characters is cut
 * and ends in {@code %%} and a SHA-256 of the CN (a form the encoding itself never produces).
 */
final class SourceDirectory {

    static final int MAX_LENGTH = 200;
    private static final int KEPT_WHEN_CUT = MAX_LENGTH - 2 - 32;

    private SourceDirectory() {
    }

    static String of(String source) {
        byte[] utf8 = source.getBytes(StandardCharsets.UTF_8);
        StringBuilder name = new StringBuilder(utf8.length + 8);
        for (int i = 0; i < utf8.length; i++) {
            int b = utf8[i] & 0xff;
            if (isPlain(b) && !(b == '.' && i == 0)) {
                name.append((char) b);
            } else {
                name.append('%').append(HexFormat.of().withUpperCase().toHexDigits((byte) b));
            }
        }
        if (name.isEmpty()) {
            return "%";
        }
        if (name.length() > MAX_LENGTH) {
            return name.substring(0, KEPT_WHEN_CUT) + "%%" + hash(source);
        }
        return name.toString();
    }

    private static boolean isPlain(int b) {
        return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '.' || b == '-'
                || b == '_';
    }

    private static String hash(String source) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
