package io.logferry.tail;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class LineReaderTest {

    private record Line(long offset, String text) {
    }

    private final List<Line> lines = new ArrayList<>();
    private final List<byte[]> lineBytes = new ArrayList<>();

    private int read(LineReader reader, String chunk, long fileOffset) {
        byte[] bytes = chunk.getBytes(StandardCharsets.UTF_8);
        return read(reader, bytes, fileOffset);
    }

    private int read(LineReader reader, byte[] bytes, long fileOffset) {
        return reader.read(bytes, bytes.length, fileOffset, Integer.MAX_VALUE, this::collect);
    }

    private void collect(long offset, byte[] buf, int from, int length) {
        lines.add(new Line(offset, new String(buf, from, length, StandardCharsets.UTF_8)));
        lineBytes.add(Arrays.copyOfRange(buf, from, from + length));
    }

    @Test
    void readsCompleteLinesWithTheirOffsets() {
        LineReader reader = new LineReader(100, LongLines.split);
        int consumed = read(reader, "alpha\nbeta\n", 1000);
        assertThat(consumed).isEqualTo(11);
        assertThat(lines).containsExactly(new Line(1000, "alpha"), new Line(1006, "beta"));
    }

    @Test
    void leavesAnIncompleteLastLineUnreadUntilItIsCompleted() {
        LineReader reader = new LineReader(100, LongLines.split);
        int consumed = read(reader, "one\ntw", 0);
        assertThat(consumed).isEqualTo(4);
        assertThat(lines).containsExactly(new Line(0, "one"));

        // the caller reads again from where the reader stopped, now with the rest of the line
        consumed = read(reader, "two\nthree", 4);
        assertThat(consumed).isEqualTo(4);
        assertThat(lines).containsExactly(new Line(0, "one"), new Line(4, "two"));
    }

    @Test
    void stripsCarriageReturnsOfCrlfLines() {
        LineReader reader = new LineReader(100, LongLines.split);
        read(reader, "dos\r\nunix\n\r\n", 0);
        assertThat(lines).extracting(Line::text).containsExactly("dos", "unix");
    }

    @Test
    void skipsEmptyLinesButConsumesTheirBytes() {
        LineReader reader = new LineReader(100, LongLines.split);
        int consumed = read(reader, "\n\na\n\n", 0);
        assertThat(consumed).isEqualTo(5);
        assertThat(lines).containsExactly(new Line(2, "a"));
    }

    @Test
    void handsOverTheBytesAsWrittenEvenWhenTheyAreNotUtf8() {
        LineReader reader = new LineReader(100, LongLines.split);
        byte[] input = {'o', 'k', (byte) 0xC3, (byte) 0x28, ' ', (byte) 0xFF, '\n'};
        read(reader, input, 0);
        assertThat(lineBytes).singleElement().isEqualTo(Arrays.copyOf(input, 6));
    }

    @Test
    void splitsLongLinesIntoPiecesThatKeepTheirOwnOffsets() {
        LineReader reader = new LineReader(4, LongLines.split);
        int consumed = read(reader, "abcdefghij\nxy\n", 0);
        assertThat(consumed).isEqualTo(14);
        assertThat(lines).containsExactly(new Line(0, "abcd"), new Line(4, "efgh"), new Line(8, "ij"),
                new Line(11, "xy"));
        assertThat(reader.linesSplit()).as("one long line").isEqualTo(1);
        assertThat(reader.piecesSplit()).as("in three pieces").isEqualTo(3);
    }

    @Test
    void acceptsALineOfExactlyMaxLength() {
        LineReader reader = new LineReader(4, LongLines.split);
        read(reader, "abcd\n", 0);
        assertThat(lines).containsExactly(new Line(0, "abcd"));
        assertThat(reader.linesSplit()).isZero();
    }

    @Test
    void splitNeverCutsAUtf8CharacterInTwo() {
        LineReader reader = new LineReader(4, LongLines.split);
        read(reader, "abcé\n", 0); // é is two bytes: "abc" + "é" would cut it at 4 bytes
        assertThat(lines).extracting(Line::text).containsExactly("abc", "é");
    }

    @Test
    void truncatesLongLinesAndSkipsTheirRestAcrossReads() {
        LineReader reader = new LineReader(4, LongLines.truncate);
        int consumed = read(reader, "abcdefgh", 0);
        assertThat(consumed).isEqualTo(8);
        assertThat(lines).isEmpty(); // not emitted before its newline arrived

        consumed = read(reader, "ijk\nnext\n", 8);
        assertThat(consumed).isEqualTo(9);
        assertThat(lines).containsExactly(new Line(0, "abcd"), new Line(12, "next"));
        assertThat(reader.linesTruncated()).isEqualTo(1);
    }

    @Test
    void resetForgetsATruncationInProgress() {
        LineReader reader = new LineReader(4, LongLines.truncate);
        read(reader, "abcdefgh", 0);
        reader.reset();
        read(reader, "zz\n", 100);
        assertThat(lines).containsExactly(new Line(100, "zz"));
    }

    @Test
    void stopsAfterMaxLines() {
        LineReader reader = new LineReader(100, LongLines.split);
        byte[] bytes = "a\nb\nc\n".getBytes(StandardCharsets.UTF_8);
        int consumed = reader.read(bytes, bytes.length, 0, 2, this::collect);
        assertThat(consumed).isEqualTo(4);
        assertThat(lines).extracting(Line::text).containsExactly("a", "b");
    }

    @Test
    void flushesAnUnterminatedLastLine() {
        LineReader reader = new LineReader(100, LongLines.split);
        byte[] bytes = "last words\r".getBytes(StandardCharsets.UTF_8);
        reader.flushRemainder(bytes, bytes.length, 40, this::collect);
        assertThat(lines).containsExactly(new Line(40, "last words"));
    }

    @Test
    void readsLinesSplitAtEveryPossibleReadBoundary() {
        String text = "first line\r\nsecond\n\nthird é line\nfourth\n";
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        for (int cut = 0; cut <= all.length; cut++) {
            lines.clear();
            LineReader reader = new LineReader(100, LongLines.split);
            int consumed = read(reader, Arrays.copyOfRange(all, 0, cut), 0);
            byte[] rest = Arrays.copyOfRange(all, consumed, all.length);
            read(reader, rest, consumed);
            assertThat(lines).as("cut at %d", cut).extracting(Line::text)
                    .containsExactly("first line", "second", "third é line", "fourth");
            assertThat(lines.get(3).offset()).isEqualTo(text.indexOf("fourth") + 1); // é is two bytes
        }
    }
}
