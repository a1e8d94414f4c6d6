package io.logferry.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads what a syslog listener (or rsyslog) wrote: the lines of every file under a directory, and their seq=N. */
public final class IngestedLines {

    private static final Pattern SEQ = Pattern.compile("seq=\"(\\d+)\"");

    private final List<Long> seqs = new ArrayList<>();

    private IngestedLines() {
    }

    /** Every {@code seq="N"} of every line of every regular file under {@code dir} (none when it is missing). */
    public static IngestedLines under(Path dir) {
        IngestedLines lines = new IngestedLines();
        if (!Files.isDirectory(dir)) {
            return lines;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                lines.read(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return lines;
    }

    /** Every {@code seq="N"} of one file (none when it is missing). */
    public static IngestedLines of(Path file) {
        IngestedLines lines = new IngestedLines();
        if (Files.isRegularFile(file)) {
            lines.read(file);
        }
        return lines;
    }

    private void read(Path file) {
        try {
            for (String line : Files.readAllLines(file)) {
                Matcher m = SEQ.matcher(line);
                if (m.find()) {
                    seqs.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public int count() {
        return seqs.size();
    }

    public int distinct() {
        BitSet seen = new BitSet();
        seqs.forEach(s -> seen.set(Math.toIntExact(s)));
        return seen.cardinality();
    }

    /** The seq numbers below {@code n} that never arrived. */
    public List<Long> missingBelow(long n) {
        BitSet seen = new BitSet();
        seqs.forEach(s -> seen.set(Math.toIntExact(s)));
        List<Long> missing = new ArrayList<>();
        for (int i = seen.nextClearBit(0); i < n; i = seen.nextClearBit(i + 1)) {
            missing.add((long) i);
        }
        return missing;
    }
}
