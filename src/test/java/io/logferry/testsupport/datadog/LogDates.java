package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.TemporalAccessor;
import java.util.List;
import java.util.Locale;

/**
 * A log's official date, as Datadog's "Log Date Remapper" page describes the default behaviour
 * (https://docs.datadoghq.com/logs/log_configuration/processors/log_date_remapper/): the value of one of the
 * default date attributes, in ISO8601, UNIX epoch milliseconds or RFC3164; the reception time when none is
 * present. The page names no order among the attributes; this class takes the first that parses, in the page's
 * order. {@code @timestamp} is not among them.
 */
final class LogDates {

    /** The default date attributes, in the order the documentation lists them. */
    static final List<String> DATE_ATTRIBUTES =
            List.of("timestamp", "date", "_timestamp", "Timestamp", "eventTime", "published_date");
    /** "Log events can be submitted up to 18 hours in the past and two hours in the future." */
    static final Duration MAX_PAST = Duration.ofHours(18);
    static final Duration MAX_FUTURE = Duration.ofHours(2);

    private LogDates() {
    }

    static Instant dateOf(ObjectNode log, Instant received) {
        for (String name : DATE_ATTRIBUTES) {
            Instant date = parse(log.get(name), received);
            if (date != null) {
                return date;
            }
        }
        return received;
    }

    static boolean withinWindow(Instant date, Instant received) {
        return !date.isBefore(received.minus(MAX_PAST)) && !date.isAfter(received.plus(MAX_FUTURE));
    }

    /** The date in {@code value}, or null when it is absent or in none of the recognized formats. */
    private static Instant parse(JsonNode value, Instant received) {
        if (value == null || value.isNull()) {
            return null;
        }
        if (value.isNumber()) {
            return Instant.ofEpochMilli(value.asLong());
        }
        if (!value.isTextual()) {
            return null;
        }
        String text = value.textValue().trim();
        if (!text.isEmpty() && text.chars().allMatch(Character::isDigit) && text.length() <= 18) {
            return Instant.ofEpochMilli(Long.parseLong(text));
        }
        Instant iso = iso8601(text);
        return iso != null ? iso : rfc3164(text, received);
    }

    private static Instant iso8601(String text) {
        try {
            TemporalAccessor parsed = DateTimeFormatter.ISO_DATE_TIME.parseBest(text, ZonedDateTime::from,
                    LocalDateTime::from);
            return parsed instanceof ZonedDateTime z ? z.toInstant()
                    : ((LocalDateTime) parsed).toInstant(ZoneOffset.UTC); // no offset: read as UTC
        } catch (DateTimeException e) {
            return null;
        }
    }

    /** RFC3164's {@code Mmm dd hh:mm:ss} has no year: the year of reception, in UTC. */
    private static Instant rfc3164(String text, Instant received) {
        DateTimeFormatter format = new DateTimeFormatterBuilder().appendPattern("MMM ppd HH:mm:ss")
                .parseDefaulting(ChronoField.YEAR, received.atZone(ZoneOffset.UTC).getYear())
                .toFormatter(Locale.ENGLISH);
        try {
            return LocalDateTime.parse(text, format).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            return null;
        }
    }
}
