package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One log the fake intake accepted.
 *
 * @param message                the {@code message} attribute as text ("" when the log has none)
 * @param json                   the log object as received, after truncation; read it, do not change it
 * @param date                   the log's official date: its first parsable default date attribute, else the
 *                               time it was received (see {@link LogDates})
 * @param withinSubmissionWindow whether {@code date} lies in the window Datadog documents for submission
 *                               (18 hours in the past to 2 hours in the future of reception)
 * @param truncated              whether the log was over the single-log limit and its message was cut
 * @param queryDdtags            the {@code ddtags} query parameter of the request that carried it, or null
 */
public record DatadogLog(String message, ObjectNode json, Instant date, boolean withinSubmissionWindow,
                         boolean truncated, String queryDdtags) {

    /** Builds the record for an accepted log object received at {@code received}. */
    static DatadogLog of(ObjectNode json, boolean truncated, Instant received, String queryDdtags) {
        Instant date = LogDates.dateOf(json, received);
        return new DatadogLog(messageOf(json), json, date, LogDates.withinWindow(date, received), truncated,
                queryDdtags);
    }

    /** A top-level attribute as text ({@code ddsource}, {@code service}, ...), or null when absent. */
    public String attribute(String name) {
        JsonNode value = json.get(name);
        if (value == null || value.isNull()) {
            return null;
        }
        return value.isValueNode() ? value.asText() : value.toString();
    }

    static String messageOf(ObjectNode json) {
        JsonNode message = json.get("message");
        if (message == null || message.isNull()) {
            return "";
        }
        return message.isTextual() ? message.textValue() : message.toString();
    }
}
