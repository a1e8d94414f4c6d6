package io.logferry.batch;

/**
 * One line read from a file, with its origin key: (source, fingerprint, offset) names it uniquely, so a sink
 * that can deduplicate turns a replay into a no-op.
 *
 * @param source      the configured source id (the host or pipeline the line came from)
 * @param path        the path the file had when the line was read (informational, not identity)
 * @param fingerprint the file's fingerprint, its identity across renames
 * @param offset      the byte offset of the line's first byte in that file
 * @param text        the line without its line terminator, invalid UTF-8 replaced by U+FFFD
 */
public record LogLine(String source, String path, String fingerprint, long offset, String text) {
}
