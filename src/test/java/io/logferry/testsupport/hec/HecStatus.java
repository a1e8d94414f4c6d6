package io.logferry.testsupport.hec;

/**
 * The HEC replies the fake server gives: HTTP status, HEC {@code code} and {@code text}, exactly as Splunk's
 * "Troubleshoot HTTP Event Collector" page lists them under "Possible error codes"
 * (https://docs.splunk.com/Documentation/Splunk/latest/Data/TroubleshootHTTPEventCollector; the same table
 * is shipped as splunkadmins_hec_reply_code_lookup.csv in gjanders/SplunkAdmins).
 */
public enum HecStatus {
    SUCCESS(200, 0, "Success"),
    TOKEN_DISABLED(403, 1, "Token disabled"),
    TOKEN_REQUIRED(401, 2, "Token is required"),
    INVALID_AUTHORIZATION(401, 3, "Invalid authorization"),
    INVALID_TOKEN(403, 4, "Invalid token"),
    NO_DATA(400, 5, "No data"),
    INVALID_DATA_FORMAT(400, 6, "Invalid data format"),
    INTERNAL_ERROR(500, 8, "Internal server error"),
    SERVER_BUSY(503, 9, "Server is busy"),
    CHANNEL_MISSING(400, 10, "Data channel is missing"),
    INVALID_CHANNEL(400, 11, "Invalid data channel"),
    EVENT_REQUIRED(400, 12, "Event field is required"),
    EVENT_BLANK(400, 13, "Event field cannot be blank"),
    ACK_DISABLED(400, 14, "ACK is disabled"),
    HEALTHY(200, 17, "HEC is healthy"),
    UNHEALTHY(503, 18, "HEC is unhealthy, queues are full");

    /** Sentinel for "no invalid-event-number / no ackId in this reply". */
    static final long NONE = -1;

    private final int httpStatus;
    private final int code;
    private final String text;

    HecStatus(int httpStatus, int code, String text) {
        this.httpStatus = httpStatus;
        this.code = code;
        this.text = text;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public int code() {
        return code;
    }

    public String text() {
        return text;
    }

    /** {@code {"text":...,"code":N}}, the body of every HEC reply. */
    String json() {
        return json(NONE, NONE);
    }

    /**
     * The reply body with Splunk's optional members: {@code invalid-event-number} (the 0-based index of the
     * event where processing stopped; the events before it were indexed) and {@code ackId}.
     */
    String json(long invalidEventNumber, long ackId) {
        StringBuilder sb = new StringBuilder(64).append("{\"text\":\"").append(text).append("\",\"code\":").append(code);
        if (invalidEventNumber != NONE) {
            sb.append(",\"invalid-event-number\":").append(invalidEventNumber);
        }
        if (ackId != NONE) {
            sb.append(",\"ackId\":").append(ackId);
        }
        return sb.append('}').toString();
    }
}
