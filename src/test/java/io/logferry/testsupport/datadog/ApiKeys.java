package io.logferry.testsupport.datadog;

import java.util.Set;

/**
 * The {@code DD-API-KEY} check. Send logs documents "401: Unauthorized (likely a missing API Key)" and
 * "403: Permission issue (likely using an invalid API Key)"; a key disabled through {@link DatadogFaults}
 * is an invalid key too.
 */
final class ApiKeys {

    private final Set<String> accepted;
    private final DatadogFaults faults;

    ApiKeys(Set<String> accepted, DatadogFaults faults) {
        this.accepted = Set.copyOf(accepted);
        this.faults = faults;
    }

    /** The refusal for {@code key} (the header's value, null when absent), or null when it is accepted. */
    IntakeReply refusal(String key) {
        if (key == null || key.isBlank()) {
            return IntakeReply.error(401, "API key is missing");
        }
        String trimmed = key.trim();
        if (!accepted.contains(trimmed) || faults.isDisabled(trimmed)) {
            return IntakeReply.error(403, "Invalid API key");
        }
        return null;
    }
}
