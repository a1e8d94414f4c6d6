package io.logferry.sink.kafka;

import io.logferry.batch.LogLine;
import org.apache.kafka.common.utils.Utils;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Objects;

/**
 * Which partition a line goes to ({@code partitionBy}): {@code file} keeps each file's lines in order in one
 * partition (the default), {@code source} keeps a host's lines together, {@code line} spreads lines by their
 * origin key. The hash is Kafka's own (murmur2), so it is stable across restarts and hosts.
 */
final class LinePartitions {

    enum By { FILE, SOURCE, LINE }

    private final By by;
    private final int partitions;
    private String lastSource;
    private String lastFingerprint;
    private int lastPartition;

    LinePartitions(By by, int partitions) {
        this.by = by;
        this.partitions = partitions;
    }

    static By parse(String value, String route) {
        try {
            return By.valueOf(value.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Route " + route + ": partitionBy " + value
                    + " is not one of file, source, line", e);
        }
    }

    /** The partition of {@code line}, whose record key is {@code key}. Not thread-safe: one per send. */
    int of(LogLine line, byte[] key) {
        if (partitions == 1) {
            return 0;
        }
        if (by == By.LINE) {
            return Utils.toPositive(Utils.murmur2(key)) % partitions;
        }
        // the lines of a batch come in runs of one file: hash each run once
        if (!Objects.equals(line.source(), lastSource)
                || (by == By.FILE && !Objects.equals(line.fingerprint(), lastFingerprint))) {
            lastSource = line.source();
            lastFingerprint = line.fingerprint();
            String group = by == By.SOURCE ? lastSource : lastSource + '/' + lastFingerprint;
            lastPartition = Utils.toPositive(Utils.murmur2(group.getBytes(StandardCharsets.UTF_8))) % partitions;
        }
        return lastPartition;
    }
}
