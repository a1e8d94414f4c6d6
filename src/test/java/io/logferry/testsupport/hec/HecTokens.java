package io.logferry.testsupport.hec;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Set;

/**
 * The token check of every HEC request but {@code /health}: {@code Authorization: Splunk <token>}, or HTTP
 * Basic with the token as password (Splunk's "Format events for HTTP Event Collector" names both).
 */
final class HecTokens {

    private final Set<String> accepted;
    private final HecFaults faults;

    HecTokens(Set<String> accepted, HecFaults faults) {
        this.accepted = Set.copyOf(accepted);
        this.faults = faults;
    }

    /** Why the request is refused (codes 1 to 4), or null when its token is accepted. */
    HecStatus refusal(String authorization) {
        if (authorization == null) {
            return HecStatus.TOKEN_REQUIRED;
        }
        int space = authorization.indexOf(' ');
        if (space < 0) {
            return HecStatus.INVALID_AUTHORIZATION; // mostly a bare token, the word "Splunk" forgotten
        }
        String scheme = authorization.substring(0, space);
        String credentials = authorization.substring(space + 1).trim();
        String token;
        if (scheme.equalsIgnoreCase("Splunk")) {
            token = credentials;
        } else if (scheme.equalsIgnoreCase("Basic")) {
            try {
                String pair = new String(Base64.getDecoder().decode(credentials), StandardCharsets.UTF_8);
                token = pair.substring(pair.indexOf(':') + 1);
            } catch (IllegalArgumentException e) {
                return HecStatus.INVALID_AUTHORIZATION;
            }
        } else {
            return HecStatus.INVALID_AUTHORIZATION;
        }
        if (token.isEmpty()) {
            return HecStatus.INVALID_AUTHORIZATION;
        }
        if (!accepted.contains(token)) {
            return HecStatus.INVALID_TOKEN;
        }
        return faults.isDisabled(token) ? HecStatus.TOKEN_DISABLED : null;
    }
}
