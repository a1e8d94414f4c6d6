package io.logferry.tail;

/** What the tail does with a line longer than {@code maxLineLength}. Either way the line is counted and logged. */
public enum LongLines {
    /** Emit the line as several lines of at most maxLineLength bytes each; nothing is lost. */
    split,
    /** Emit the first maxLineLength bytes and skip the rest of the line. */
    truncate
}
