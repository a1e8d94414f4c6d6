package io.logferry.sink.syslog;

import javax.net.ssl.SSLException;
import java.util.List;
import java.util.Locale;

/**
 * Recognises a receiver's refusal of this forwarder's certificate among connection failures: the TLS alerts a
 * server sends when it does not accept a client certificate (RFC 8446 section 6.2). With TLS 1.3 the alert comes
 * after the client finished its handshake, as the first thing read on the new connection.
 */
final class CertificateRefusal {

    private static final List<String> ALERTS = List.of("bad_certificate", "unsupported_certificate",
            "certificate_revoked", "certificate_expired", "certificate_unknown", "unknown_ca", "access_denied",
            "certificate_required");

    private CertificateRefusal() {
    }

    /** The alert's name if {@code cause} is a received certificate alert, else null. */
    static String alert(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof SSLException && t.getMessage() != null) {
                String message = t.getMessage().toLowerCase(Locale.ROOT);
                if (message.contains("received fatal alert")) {
                    for (String alert : ALERTS) {
                        if (message.contains(alert)) {
                            return alert;
                        }
                    }
                }
            }
        }
        return null;
    }
}
