package io.logferry.testsupport.datadog;

/**
 * What the fake answers one request: a status and JSON body, and for a scripted 429 the {@code Retry-After}
 * seconds. Status {@link IntakeTraffic#NO_RESPONSE} means the connection is closed without an answer.
 */
record IntakeReply(int status, String body, long retryAfterSeconds, int logsStored) {

    /** Success: "202: Accepted", body "{}" ("Request accepted for processing (always 202 empty JSON)"). */
    static IntakeReply accepted(int logsStored) {
        return new IntakeReply(202, "{}", -1, logsStored);
    }

    static IntakeReply error(int status, String detail) {
        return new IntakeReply(status, IntakeErrors.body(status, detail), -1, 0);
    }

    static IntakeReply noResponse() {
        return new IntakeReply(IntakeTraffic.NO_RESPONSE, "", -1, 0);
    }

    static IntakeReply of(DatadogFaults.Fault fault, long retryAfterSeconds) {
        return switch (fault) {
            case RESET -> noResponse();
            case TIMEOUT -> error(408, "Request timeout (scripted)");
            case TOO_MANY_REQUESTS -> new IntakeReply(429, IntakeErrors.body(429, "Too many requests (scripted)"),
                    retryAfterSeconds, 0);
            case INTERNAL_ERROR -> error(500, "Internal server error (scripted)");
            case UNAVAILABLE -> error(503, "Service unavailable (scripted)");
        };
    }
}
