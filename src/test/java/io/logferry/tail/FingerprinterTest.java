package io.logferry.tail;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprinterTest {

    @TempDir
    Path dir;

    private final Fingerprinter fingerprinter = new Fingerprinter(64);

    private String fingerprintOf(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            return fingerprinter.fingerprint(ch);
        }
    }

    @Test
    void sameFirstLineGivesSameFingerprintWhateverFollows() throws IOException {
        String a = fingerprintOf("a.log", "2026-11-23 started\nmore\n");
        String b = fingerprintOf("b.log", "2026-11-23 started\nother content entirely\n");
        assertThat(a).isEqualTo(b).hasSize(16);
    }

    @Test
    void differentFirstLinesGiveDifferentFingerprints() throws IOException {
        assertThat(fingerprintOf("a.log", "first\n")).isNotEqualTo(fingerprintOf("b.log", "first!\n"));
    }

    @Test
    void fileWithoutACompleteFirstLineHasNoFingerprintYet() throws IOException {
        assertThat(fingerprintOf("empty.log", "")).isNull();
        assertThat(fingerprintOf("partial.log", "no newline yet")).isNull();
    }

    @Test
    void longFirstLineIsIdentifiedByItsFirstBytes() throws IOException {
        String longLine = "x".repeat(200);
        String whole = fingerprintOf("a.log", longLine);
        String grown = fingerprintOf("b.log", longLine + "more\n");
        assertThat(whole).isNotNull().isEqualTo(grown);
    }

    @Test
    void appendingDoesNotChangeTheFingerprint() throws IOException {
        Path file = dir.resolve("grow.log");
        Files.writeString(file, "head line\n");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            String before = fingerprinter.fingerprint(ch);
            Files.writeString(file, "appended\n", StandardOpenOption.APPEND);
            assertThat(fingerprinter.fingerprint(ch)).isEqualTo(before);
        }
    }
}
