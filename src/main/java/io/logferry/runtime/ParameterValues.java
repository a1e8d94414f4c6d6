package io.logferry.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a template parameter accepts, so a wrong value is refused before start with a sentence naming what is
 * accepted (Camel would fail later with "Error binding property" or a Simple-language error). A parameter with a
 * fixed set of words is listed here; one whose default is a whole number takes whole numbers (within the bounds
 * listed here, where they are tighter), one whose default is true or false takes true or false. Values with a property placeholder are left to their resolution.
 */
final class ParameterValues {

    private static final Map<String, List<String>> CHOICES = Map.ofEntries(
            Map.entry("readFrom", List.of("head", "tail")),
            Map.entry("longLines", List.of("split", "truncate")),
            Map.entry("endpoint", List.of("event", "raw")),
            Map.entry("framing", List.of("octet-counted", "lf")),
            Map.entry("acks", List.of("auto", "required", "off")),
            Map.entry("output", List.of("file", "store")),
            Map.entry("storeSynchronous", List.of("OFF", "NORMAL", "FULL", "EXTRA")),
            Map.entry("compression", List.of("none", "gzip", "snappy", "lz4", "zstd")),
            Map.entry("partitionBy", List.of("file", "source", "line")),
            Map.entry("securityProtocol", List.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL")),
            Map.entry("saslMechanism", List.of("PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512")));
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+");
    /** Whole-number parameters with bounds tighter than "0 or more": {lowest, highest}. */
    private static final Map<String, long[]> RANGES = Map.ofEntries(
            Map.entry("port", new long[] {1, 65_535}),
            Map.entry("batchLines", new long[] {1, Integer.MAX_VALUE}),
            Map.entry("batchBytes", new long[] {1, Integer.MAX_VALUE}),
            Map.entry("maxLineLength", new long[] {16, Integer.MAX_VALUE}),
            Map.entry("concurrency", new long[] {1, 64}),
            Map.entry("compressionLevel", new long[] {1, 9}),
            Map.entry("circuitMinimumCalls", new long[] {1, Integer.MAX_VALUE}),
            Map.entry("circuitFailureRate", new long[] {1, 100}),
            Map.entry("circuitWindow", new long[] {1_000, Long.MAX_VALUE}),
            Map.entry("circuitOpenFor", new long[] {100, Long.MAX_VALUE}),
            Map.entry("maxPollRecords", new long[] {1, Integer.MAX_VALUE}),
            Map.entry("kafkaTimeout", new long[] {1_000, Integer.MAX_VALUE}));

    private ParameterValues() {
    }

    private static boolean within(String digits, long[] range) {
        try {
            long value = Long.parseLong(digits);
            return value >= range[0] && value <= range[1];
        } catch (NumberFormatException e) {
            return false; // more digits than a long holds
        }
    }

    /** Why {@code value} does not fit parameter {@code name} (whose default is {@code defaultValue}), or null. */
    static String problem(String name, String defaultValue, String value) {
        String v = value.strip();
        if (v.contains("{{")) {
            return null;
        }
        List<String> choices = CHOICES.get(name);
        if (choices != null) {
            return choices.stream().anyMatch(c -> c.equalsIgnoreCase(v)) ? null
                    : "must be one of " + String.join(", ", choices);
        }
        String d = defaultValue == null ? "" : defaultValue.strip().toLowerCase(Locale.ROOT);
        if ((d.equals("true") || d.equals("false")) && !v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
            return "must be true or false";
        }
        if (WHOLE_NUMBER.matcher(d).matches() && !WHOLE_NUMBER.matcher(v).matches()) {
            return "must be a whole number (0 or more, digits only, e.g. " + defaultValue.strip() + ")";
        }
        long[] range = RANGES.get(name);
        if (range != null && WHOLE_NUMBER.matcher(v).matches() && !within(v, range)) {
            return "must be from " + range[0] + (range[1] == Long.MAX_VALUE || range[1] == Integer.MAX_VALUE
                    ? " up" : " to " + range[1]);
        }
        return null;
    }
}
