package io.logferry.tail;

import java.util.Arrays;

/**
 * Cuts file bytes into lines. Keeps the one piece of state that spans reads: a line being truncated, whose
 * rest is skipped until its newline arrives. The truncated line is emitted only then, so no range that ends
 * in the middle of a line is ever committed. An incomplete last line is left unread until it is completed.
 * Invalid UTF-8 becomes U+FFFD. Empty lines are skipped. Not thread-safe: one per file.
 */
final class LineReader {

    /**
     * Receives each line with the file offset of its first byte: {@code buf[from, from + length)}, valid only
     * during the call unless {@code buf} is the array the reader was given.
     */
    interface LineSink {
        void line(long offset, byte[] buf, int from, int length);
    }

    private final int maxLineLength;
    private final LongLines longLines;
    private boolean skipping;
    private long truncatedOffset;
    private byte[] truncatedBytes;
    private boolean splitting;
    private long linesSplit;
    private long piecesSplit;
    private long linesTruncated;

    LineReader(int maxLineLength, LongLines longLines) {
        this.maxLineLength = maxLineLength;
        this.longLines = longLines;
    }

    /**
     * Reads complete lines from {@code buf[0, length)}, which holds the file's bytes from {@code fileOffset},
     * stopping after {@code maxLines} lines. Returns how many bytes were consumed.
     */
    int read(byte[] buf, int length, long fileOffset, int maxLines, LineSink sink) {
        int pos = 0;
        int lines = 0;
        while (pos < length && lines < maxLines) {
            if (skipping) {
                int nl = indexOfNewline(buf, pos, length);
                if (nl < 0) {
                    return length;
                }
                sink.line(truncatedOffset, truncatedBytes, 0, truncatedBytes.length);
                lines++;
                skipping = false;
                truncatedBytes = null;
                pos = nl + 1;
                continue;
            }
            int nl = indexOfNewline(buf, pos, Math.min(length, pos + maxLineLength + 1));
            if (nl >= 0) {
                if (splitting) {
                    piecesSplit++; // the last piece of a split line
                    splitting = false;
                }
                if (emit(buf, pos, lineEnd(buf, pos, nl), fileOffset + pos, sink)) {
                    lines++;
                }
                pos = nl + 1;
            } else if (length - pos <= maxLineLength) {
                break; // incomplete line: wait until it is completed
            } else {
                pos = overlong(buf, pos, fileOffset, sink);
                if (longLines == LongLines.split) {
                    lines++;
                }
            }
        }
        return pos;
    }

    /** Emits whatever is left of an unterminated last line (used once the file will not grow any more). */
    void flushRemainder(byte[] buf, int length, long fileOffset, LineSink sink) {
        if (skipping) {
            sink.line(truncatedOffset, truncatedBytes, 0, truncatedBytes.length);
            reset();
        } else if (length > 0) {
            emit(buf, 0, lineEnd(buf, 0, length), fileOffset, sink);
        }
    }

    /** Forgets the truncation in progress (the reader is rewinding to an earlier offset). */
    void reset() {
        skipping = false;
        splitting = false;
        truncatedBytes = null;
    }

    /** Lines longer than maxLineLength that were split (each counted once, however many pieces it became). */
    long linesSplit() {
        return linesSplit;
    }

    /** The pieces those lines became, their last pieces included once their line ended. */
    long piecesSplit() {
        return piecesSplit;
    }

    long linesTruncated() {
        return linesTruncated;
    }

    private int overlong(byte[] buf, int pos, long fileOffset, LineSink sink) {
        int cut = utf8Boundary(buf, pos, pos + maxLineLength);
        if (longLines == LongLines.split) {
            if (!splitting) {
                linesSplit++;
                splitting = true;
            }
            piecesSplit++;
            sink.line(fileOffset + pos, buf, pos, cut - pos);
        } else {
            linesTruncated++;
            skipping = true;
            truncatedOffset = fileOffset + pos;
            truncatedBytes = Arrays.copyOfRange(buf, pos, cut); // its newline may come in a later read
        }
        return cut;
    }

    /** Moves a cut back to the start of a UTF-8 sequence, so a split never breaks a character in two. */
    private static int utf8Boundary(byte[] buf, int start, int cut) {
        int c = cut;
        while (c > start && c > cut - 3 && (buf[c] & 0xC0) == 0x80) {
            c--;
        }
        return c > start ? c : cut;
    }

    private static boolean emit(byte[] buf, int from, int to, long offset, LineSink sink) {
        if (to <= from) {
            return false;
        }
        sink.line(offset, buf, from, to - from);
        return true;
    }

    private static int lineEnd(byte[] buf, int from, int newline) {
        return newline > from && buf[newline - 1] == '\r' ? newline - 1 : newline;
    }

    private static int indexOfNewline(byte[] buf, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
