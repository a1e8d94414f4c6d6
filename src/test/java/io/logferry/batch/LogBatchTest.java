package io.logferry.batch;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class LogBatchTest {

    /** A block of lines "name-0", "name-1", ... cut out of one chunk, at offsets 100, 200, ... */
    private static LineBlock block(String name, int lines) {
        StringBuilder text = new StringBuilder();
        int[] starts = new int[lines];
        int[] lengths = new int[lines];
        long[] offsets = new long[lines];
        for (int i = 0; i < lines; i++) {
            starts[i] = text.length();
            String line = name + "-" + i;
            text.append(line).append('\n');
            lengths[i] = line.length();
            offsets[i] = 100L * (i + 1);
        }
        byte[] chunk = text.toString().getBytes(StandardCharsets.US_ASCII);
        return new LineBlock("src", "/logs/" + name, "fp-" + name, chunk, starts, lengths, offsets, lines, 0);
    }

    private static List<String> texts(LogBatch batch) {
        return batch.lines().stream().map(LogLine::text).toList();
    }

    @Test
    void readsLinesAcrossMergedBlocksInOrderWithTheirOwnOrigins() {
        LogBatch batch = new LogBatch(block("a", 3), List.of(), 30).copy();
        batch.absorb(new LogBatch(block("b", 1), List.of(), 10));
        batch.absorb(new LogBatch(List.of(), List.of(), 0)); // an empty batch adds no segment
        batch.absorb(new LogBatch(block("c", 2), List.of(), 20));

        assertThat(batch.size()).isEqualTo(6);
        assertThat(batch.bytes()).isEqualTo(60);
        List<String> expected = List.of("a-0", "a-1", "a-2", "b-0", "c-0", "c-1");
        assertThat(texts(batch)).isEqualTo(expected);
        for (int i = 0; i < batch.size(); i++) {
            assertThat(batch.lines().get(i).text()).as("line %d by index", i).isEqualTo(expected.get(i));
        }
        assertThat(batch.lines().get(3).fingerprint()).isEqualTo("fp-b");
        assertThat(batch.lines().get(5).offset()).isEqualTo(200);
        assertThatThrownBy(() -> batch.lines().get(6)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aCopyIsMergedIntoWithoutChangingTheOriginal() {
        LogBatch original = new LogBatch(block("a", 2), List.of(), 20);
        LogBatch merged = original.copy();
        merged.absorb(new LogBatch(block("b", 2), List.of(), 20));
        assertThat(texts(original)).containsExactly("a-0", "a-1");
        assertThat(merged.size()).isEqualTo(4);
    }

    @Test
    void clearingTheLinesKeepsTheConfirmations() {
        Confirmation confirmation = new Confirmation() {
            @Override
            public void delivered() {
            }

            @Override
            public void failed() {
            }
        };
        LogBatch batch = new LogBatch(block("a", 2), List.of(confirmation), 20);
        batch.clearLines();
        assertThat(batch.lines()).isEmpty();
        assertThat(batch.confirmations()).containsExactly(confirmation);
    }

    @Test
    void linesOfABlockAreSlicesOfItsChunk() {
        LogLine line = block("a", 3).get(1);
        assertThat(line.text()).isEqualTo("a-1");
        assertThat(line.start()).isEqualTo(4);
        assertThat(line.chunk()).hasSize(12);
        assertThat(line).isEqualTo(new LogLine("src", "/logs/a", "fp-a", 200, "a-1"));
    }
}
