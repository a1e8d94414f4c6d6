package io.logferry.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What a template parameter accepts, so a wrong value is refused before start with a sentence naming what is
 * accepted (Camel would fail later with "Error binding property" or a Simple-language error). A parameter with a
 * fixed set of words is listed here; one whose default is a whole number takes whole numbers, one whose default
 * is true or false takes true or false. Values with a property placeholder are left to their resolution.
 */
final class ParameterValues {

    private static final Map<String, List<String>> CHOICES = Map.of(
            "readFrom", List.of("head", "tail"),
            "longLines", List.of("split", "truncate"),
            "endpoint", List.of("event", "raw"),
            "framing", List.of("octet-counted", "lf"),
            "acks", List.of("auto", "required", "off"),
            "output", List.of("file", "store"),
            "storeSynchronous", List.of("OFF", "NORMAL", "FULL", "EXTRA"));
    private static final Pattern WHOLE_NUMBER = Pattern.compile("\\d+");

    private ParameterValues() {
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
        return null;
    }
}
