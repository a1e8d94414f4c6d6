package io.logferry.tail;

import io.logferry.batch.LineBlock;
import io.logferry.batch.LogLine;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

class LineSlicesTest {

    private static final byte[] READ = "xx\nalpha\nbeta\ngam".getBytes(StandardCharsets.US_ASCII);

    @Test
    void copiesTheLinesOutOfTheReadBufferSoTheNextReadCannotChangeThem() {
        byte[] buffer = READ.clone();
        LineSlices slices = new LineSlices().begin(buffer);
        slices.line(103, buffer, 3, 5);
        slices.line(109, buffer, 9, 4);
        LineBlock block = slices.toBlock("src", "/logs/app.log", "fp");
        Arrays.fill(buffer, (byte) 'z'); // the next read

        assertThat(block).extracting(LogLine::text).containsExactly("alpha", "beta");
        assertThat(block).extracting(LogLine::offset).containsExactly(103L, 109L);
        assertThat(block.get(0).chunk()).as("one chunk from the first line to the end of the last").hasSize(10);
    }

    @Test
    void keepsALineHeldAcrossReadsBeforeTheLinesOfThisRead() {
        byte[] buffer = READ.clone();
        byte[] truncated = "long line, truncated".getBytes(StandardCharsets.US_ASCII);
        LineSlices slices = new LineSlices().begin(buffer);
        slices.line(0, truncated, 0, 9);
        slices.line(103, buffer, 3, 5);
        LineBlock block = slices.toBlock("src", "/logs/app.log", "fp");

        assertThat(block).extracting(LogLine::text).containsExactly("long line", "alpha");
        assertThat(block).extracting(LogLine::offset).containsExactly(0L, 103L);
    }

    @Test
    void isReusedFromReadToRead() {
        byte[] buffer = READ.clone();
        LineSlices slices = new LineSlices();
        slices.begin(buffer).line(0, new byte[]{'a'}, 0, 1);
        for (int i = 0; i < 1000; i++) {
            slices.line(103, buffer, 3, 5);
        }
        slices.begin(buffer).line(109, buffer, 9, 4);
        assertThat(slices.count()).isEqualTo(1);
        assertThat(slices.toBlock("src", "p", "fp")).extracting(LogLine::text).containsExactly("beta");
    }
}
