package io.logferry.tls;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.util.IPAddress;

/**
 * What a host certificate should say: its CN, whether it authenticates a client or a server, its subject
 * alternative names, and its validity.
 *
 * <p>The CN must be a DNS-style host name (letters, digits, hyphens, dot-separated labels): it is also a SAN
 * {@code dNSName}, the name of the files written for it, and later the listener's source identity and ingest
 * directory name, so nothing that could escape a directory ({@code ..}, {@code /}) is accepted. The CN is always
 * the first SAN; {@code extraNames} adds IP addresses (kept as {@code iPAddress} entries) and further host names.
 */
public record CertificateRequest(String commonName, Usage usage, List<String> subjectAltNames, Validity validity) {

    /** Default validity of host certificates. */
    public static final int DEFAULT_DAYS = 365;

    /** The extended key usage of the certificate. */
    public enum Usage {
        /** {@code extendedKeyUsage clientAuth}: a forwarder. */
        CLIENT,
        /** {@code extendedKeyUsage serverAuth}: a listener. */
        SERVER
    }

    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?");
    private static final int MAX_HOST_NAME = 253;

    public CertificateRequest {
        checkHostName(commonName, "CN");
        List<String> names = new ArrayList<>();
        names.add(commonName.toLowerCase(Locale.ROOT));
        for (String name : subjectAltNames) {
            String trimmed = name.strip();
            if (!IPAddress.isValid(trimmed)) {
                checkHostName(trimmed, "SAN");
                trimmed = trimmed.toLowerCase(Locale.ROOT);
            }
            if (!names.contains(trimmed)) {
                names.add(trimmed);
            }
        }
        subjectAltNames = List.copyOf(names);
    }

    /** A client certificate for host {@code commonName}, valid {@value #DEFAULT_DAYS} days. */
    public static CertificateRequest client(String commonName) {
        return new CertificateRequest(commonName, Usage.CLIENT, List.of(), Validity.days(DEFAULT_DAYS));
    }

    /** A server certificate for {@code commonName} and the extra names or IP addresses in {@code extraNames}. */
    public static CertificateRequest server(String commonName, List<String> extraNames) {
        return new CertificateRequest(commonName, Usage.SERVER, extraNames, Validity.days(DEFAULT_DAYS));
    }

    /** The same request with another validity, e.g. one in the past for a test of expiry. */
    public CertificateRequest withValidity(Validity other) {
        return new CertificateRequest(commonName, usage, subjectAltNames, other);
    }

    /** True for entries of {@link #subjectAltNames} that are IP addresses rather than host names. */
    public static boolean isIpAddress(String subjectAltName) {
        return IPAddress.isValid(subjectAltName);
    }

    private static void checkHostName(String name, String what) {
        boolean valid = name != null && !name.isEmpty() && name.length() <= MAX_HOST_NAME;
        if (valid) {
            for (String label : name.split("\\.", -1)) {
                valid &= LABEL.matcher(label).matches();
            }
        }
        if (!valid) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a host name: use dot-separated labels of"
                    + " letters, digits and inner hyphens, e.g. web-01 or collector.example");
        }
    }
}
