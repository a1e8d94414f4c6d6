package io.logferry.sink.datadog;

import io.logferry.sink.SinkOutcome;

/**
 * Classifies an intake response into a {@link SinkOutcome}, following the status codes Datadog documents for
 * "Send logs" (API v2): 202 accepted; 400 a payload the intake cannot take (the sender bisects the request to
 * find the log at fault); 401 a missing and 403 an invalid API key; 413 too large (split); 408, 429, 500 and 503
 * "should be retried after some time". Anything else (404 from a wrong URL, a proxy's 502) is retried too, so a
 * mistake in the configuration holds the lines instead of dead-lettering them.
 */
final class DatadogResponses {

    private DatadogResponses() {
    }

    static SinkOutcome classify(int status, String body) {
        String reason = "HTTP " + status + (body == null || body.isBlank() ? "" : " " + abbreviate(body));
        if (status >= 200 && status < 300) {
            return new SinkOutcome.Delivered();
        }
        return switch (status) {
            case 400 -> new SinkOutcome.RejectAll(reason);
            case 401, 403 -> new SinkOutcome.Unauthorized(reason + ": check the Datadog API key (apiKey) and site");
            case 413 -> new SinkOutcome.TooLarge(reason);
            case 404 -> new SinkOutcome.Retry(reason + ": check the Datadog site or url");
            default -> new SinkOutcome.Retry(reason);
        };
    }

    private static String abbreviate(String body) {
        String flat = body.strip().replace('\n', ' ');
        return flat.length() <= 300 ? flat : flat.substring(0, 300) + "...";
    }
}
