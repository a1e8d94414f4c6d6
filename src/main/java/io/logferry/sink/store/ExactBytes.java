package io.logferry.sink.store;

import io.logferry.batch.LogLine;
import io.logferry.json.JsonEscape;

import java.util.Arrays;

/**
 * The bytes the store keeps beside {@code raw} (column {@code raw_bytes}) so that no line loses a byte: a line
 * that is not well-formed UTF-8 (a Latin-1 log, binary garbage) or holds a NUL (which a PostgreSQL text column
 * cannot) is stored as text with U+FFFD in {@code raw}, and exactly as read in {@code raw_bytes}. For every
 * other line {@code raw} is exact and {@code raw_bytes} is null, so the column costs nothing.
 */
final class ExactBytes {

    private ExactBytes() {
    }

    /** The line's bytes when {@code raw} cannot hold them exactly, else null. */
    static byte[] unlessText(LogLine line) {
        byte[] chunk = line.chunk();
        int start = line.start();
        int end = start + line.length();
        for (int i = start; i < end; i++) {
            if (chunk[i] == 0) {
                return Arrays.copyOfRange(chunk, start, end);
            }
        }
        return JsonEscape.wellFormed(chunk, start, line.length()) ? null : Arrays.copyOfRange(chunk, start, end);
    }
}
