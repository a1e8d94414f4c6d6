package io.logferry.testsupport.datadog;

import java.util.List;
import java.util.Map;

/**
 * One request to {@code /api/v2/logs} and what the fake answered.
 *
 * @param headers   the request headers, names case-insensitive
 * @param ddtags    the {@code ddtags} query parameter, or null
 * @param bodyBytes the body's bytes as sent (compressed, when it was)
 * @param status    the HTTP status answered; 0 when the connection was closed without an answer
 * @param logsStored how many logs of the request were stored
 */
public record DatadogRequest(Map<String, List<String>> headers, String ddtags, long bodyBytes, int status,
                             int logsStored) {

    /** The first value of header {@code name} (any case), or null. */
    public String header(String name) {
        List<String> values = headers.get(name);
        return values == null || values.isEmpty() ? null : values.get(0);
    }
}
