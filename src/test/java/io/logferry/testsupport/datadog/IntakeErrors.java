package io.logferry.testsupport.datadog;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.Map;

/**
 * Error bodies in Datadog's {@code HTTPLogErrors} shape, the schema the API specification gives every error
 * status of "Send logs" (datadog-api-client-typescript, {@code LogsApi.submitLog}):
 * {@code {"errors":[{"status":"413","title":"Request Entity Too Large","detail":"Request too large"}]}}.
 * That 413 body is the intake's real answer quoted in open-telemetry/opentelemetry-collector-contrib#16834.
 * The details for other statuses are this fake's own words: clients should go by the status.
 */
final class IntakeErrors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<Integer, String> TITLES = Map.of(
            400, "Bad Request", 401, "Unauthorized", 403, "Forbidden", 404, "Not Found",
            405, "Method Not Allowed", 408, "Request Timeout", 413, "Request Entity Too Large",
            429, "Too Many Requests", 500, "Internal Server Error", 503, "Service Unavailable");

    private IntakeErrors() {
    }

    static String body(int status, String detail) {
        ObjectNode error = JSON.createObjectNode()
                .put("status", Integer.toString(status))
                .put("title", TITLES.getOrDefault(status, "Error"))
                .put("detail", detail);
        ObjectNode root = JSON.createObjectNode();
        root.putArray("errors").add(error);
        return root.toString();
    }
}
