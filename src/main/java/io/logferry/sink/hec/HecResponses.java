package io.logferry.sink.hec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logferry.sink.SinkOutcome;

/**
 * Classifies an HEC response into a {@link SinkOutcome}, following Splunk's documented status and
 * {@code code} values: 200/0 success (with {@code ackId} when acknowledgement is on); 400 with
 * {@code invalid-event-number} rejects one event; other data errors (no data, invalid format, incorrect
 * index) reject the request; configuration errors (channel, ack disabled) and token errors are never the
 * data's fault, so the lines wait; 413 splits; 429, 5xx and anything unexpected are retried.
 */
final class HecResponses {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HecResponses() {
    }

    static SinkOutcome classify(int status, String body) {
        JsonNode json = parse(body);
        int code = json.path("code").asInt(-1);
        String text = json.path("text").asText("");
        String reason = "HTTP " + status + (code >= 0 ? " code " + code : "") + (text.isEmpty() ? "" : " " + text);
        if (status == 200) {
            if (code > 0) {
                return new SinkOutcome.Retry("unexpected " + reason);
            }
            JsonNode ackId = json.get("ackId");
            return ackId != null && ackId.canConvertToLong()
                    ? new SinkOutcome.AwaitingAck(ackId.asLong()) : new SinkOutcome.Delivered();
        }
        if (status == 401 || status == 403) {
            return new SinkOutcome.Unauthorized(reason + ": check the HEC token (is it valid and enabled?)");
        }
        if (status == 413) {
            return new SinkOutcome.TooLarge(reason);
        }
        if (status == 400) {
            return badRequest(json, code, reason);
        }
        return new SinkOutcome.Retry(reason);
    }

    private static SinkOutcome badRequest(JsonNode json, int code, String reason) {
        JsonNode invalid = json.get("invalid-event-number");
        if (invalid != null && invalid.canConvertToInt() && invalid.asInt() >= 0) {
            return new SinkOutcome.RejectEvent(invalid.asInt(), reason);
        }
        return switch (code) {
            case 10, 11 -> new SinkOutcome.Unauthorized(reason
                    + ": the token expects indexer acknowledgement; set ack=true on the sink");
            case 14 -> new SinkOutcome.Unauthorized(reason
                    + ": indexer acknowledgement is off for this token; enable it in Splunk or set ack=false");
            case 16 -> new SinkOutcome.Unauthorized(reason);
            default -> new SinkOutcome.RejectAll(reason);
        };
    }

    /** The {@code acks} object of an ack poll response, e.g. {@code {"acks":{"0":true,"1":false}}}. */
    static JsonNode acks(String body) {
        return parse(body).path("acks");
    }

    private static JsonNode parse(String body) {
        try {
            JsonNode node = JSON.readTree(body == null || body.isEmpty() ? "{}" : body);
            return node == null ? JSON.createObjectNode() : node;
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}
