package io.logferry.deadletter;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/** Parses the {@code since} of a replay: an ISO-8601 instant, or a duration ago such as 30m, 2h, 7d or PT90M. */
public final class Since {

    private Since() {
    }

    /** The instant meant; the epoch for null or blank (everything). */
    public static Instant parse(String text) {
        if (text == null || text.isBlank()) {
            return Instant.EPOCH;
        }
        String t = text.strip();
        try {
            if (t.contains("T") && !t.toUpperCase(Locale.ROOT).startsWith("P")) {
                return Instant.parse(t);
            }
            return Instant.now().minus(duration(t));
        } catch (DateTimeParseException | IllegalArgumentException e) {
            throw new IllegalArgumentException("Cannot read '" + text + "' as a time: give an ISO-8601 instant such"
                    + " as 2026-12-04T10:00:00Z, or a duration ago such as 30m, 2h or 7d", e);
        }
    }

    private static Duration duration(String t) {
        if (t.toUpperCase(Locale.ROOT).startsWith("P")) {
            return Duration.parse(t);
        }
        long amount = Long.parseLong(t.substring(0, t.length() - 1));
        return switch (t.charAt(t.length() - 1)) {
            case 's' -> Duration.ofSeconds(amount);
            case 'm' -> Duration.ofMinutes(amount);
            case 'h' -> Duration.ofHours(amount);
            case 'd' -> Duration.ofDays(amount);
            default -> throw new IllegalArgumentException("unknown unit");
        };
    }
}
