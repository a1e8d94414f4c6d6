package io.logferry.sink.hec;

/**
 * The Splunk metadata of an event. An empty field is not sent (Splunk applies the token's defaults), except
 * that an empty source means the file's path and an empty host the line's source id.
 */
record HecMetadata(String index, String sourcetype, String source, String host) {

    /** This metadata with every non-empty field of {@code rule} taking precedence. */
    HecMetadata overriddenBy(HecMetadata rule) {
        return new HecMetadata(pick(rule.index, index), pick(rule.sourcetype, sourcetype),
                pick(rule.source, source), pick(rule.host, host));
    }

    private static String pick(String preferred, String fallback) {
        return preferred.isEmpty() ? fallback : preferred;
    }
}
