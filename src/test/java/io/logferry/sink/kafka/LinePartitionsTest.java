package io.logferry.sink.kafka;

import io.logferry.batch.LogLine;
import io.logferry.kafka.LineRecords;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LinePartitionsTest {

    private static LogLine line(String source, String fingerprint, long offset) {
        return new LogLine(source, "/var/log/app.log", fingerprint, offset, "line at " + offset);
    }

    private static Set<Integer> partitionsOf(LinePartitions.By by, String source, String fingerprint) {
        LinePartitions partitions = new LinePartitions(by, 12);
        Set<Integer> seen = new HashSet<>();
        for (long offset = 0; offset < 1000; offset += 10) {
            seen.add(partitions.of(line(source, fingerprint, offset), LineRecords.key(source, fingerprint, offset)));
        }
        return seen;
    }

    @Test
    void aFilesLinesShareOnePartitionAndTheSameOneOnEveryHostAndRun() {
        assertThat(partitionsOf(LinePartitions.By.FILE, "web-01", "aa11")).hasSize(1)
                .isEqualTo(partitionsOf(LinePartitions.By.FILE, "web-01", "aa11"));
        Set<Integer> files = new HashSet<>();
        for (int f = 0; f < 50; f++) {
            files.addAll(partitionsOf(LinePartitions.By.FILE, "web-01", "fp" + f));
        }
        assertThat(files).as("different files spread").hasSizeGreaterThan(6);
    }

    @Test
    void bySourceKeepsAHostTogetherAndByLineSpreadsAFile() {
        LinePartitions bySource = new LinePartitions(LinePartitions.By.SOURCE, 12);
        int first = bySource.of(line("web-01", "aa", 0), LineRecords.key("web-01", "aa", 0));
        assertThat(bySource.of(line("web-01", "bb", 0), LineRecords.key("web-01", "bb", 0))).isEqualTo(first);
        assertThat(partitionsOf(LinePartitions.By.LINE, "web-01", "aa11")).hasSizeGreaterThan(6);
        assertThat(new LinePartitions(LinePartitions.By.LINE, 1).of(line("a", "b", 5), LineRecords.key("a", "b", 5)))
                .isZero();
    }

    @Test
    void anUnknownChoiceNamesTheAcceptedOnes() {
        assertThat(LinePartitions.parse(" Source ", "r")).isEqualTo(LinePartitions.By.SOURCE);
        assertThatThrownBy(() -> LinePartitions.parse("host", "r")).hasMessageContaining("file, source, line");
    }
}
