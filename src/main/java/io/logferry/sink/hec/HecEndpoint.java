package io.logferry.sink.hec;

import java.util.Locale;

/** The two HEC intake endpoints. */
public enum HecEndpoint {
    /** JSON events, one object per line, with time and metadata per event. */
    EVENT("/services/collector/event"),
    /** Lines as they are, metadata in the query string; Splunk breaks lines and extracts time itself. */
    RAW("/services/collector/raw");

    private final String path;

    HecEndpoint(String path) {
        this.path = path;
    }

    public String path() {
        return path;
    }

    static HecEndpoint of(String name) {
        try {
            return valueOf(name.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("HEC endpoint must be event or raw, was '" + name + "'", e);
        }
    }
}
