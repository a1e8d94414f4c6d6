package io.logferry.rfc5424;

/**
 * One syslog message in the RFC 5424 (section 6) format, as produced by {@link Rfc5424Parser}.
 *
 * <p>Header fields sent as the NILVALUE {@code "-"} ({@code timestamp}, {@code hostname},
 * {@code appName}, {@code procId}, {@code msgId}, {@code structuredData}) are {@code null}.
 * {@code timestamp} is the RFC 3339 text as sent. {@code structuredData} is the SD text exactly as
 * on the wire, escapes included, e.g. {@code [exampleSDID@32473 iut="3"][b@1 x="y"]}.
 * {@code message} is the MSG part without a leading BOM, or {@code null} when the line ends after
 * the structured data.
 *
 * @param pri the PRIVAL, 0..191
 * @param version the protocol VERSION (1 for RFC 5424)
 * @param timestamp TIMESTAMP, or null for NILVALUE
 * @param hostname HOSTNAME, or null for NILVALUE
 * @param appName APP-NAME, or null for NILVALUE
 * @param procId PROCID, or null for NILVALUE
 * @param msgId MSGID, or null for NILVALUE
 * @param structuredData STRUCTURED-DATA as on the wire, or null for NILVALUE
 * @param message MSG without a leading U+FEFF, or null when absent
 */
public record Rfc5424Record(
        int pri,
        int version,
        String timestamp,
        String hostname,
        String appName,
        String procId,
        String msgId,
        String structuredData,
        String message) {

    /** The facility code, 0..23 (PRIVAL = facility * 8 + severity). */
    public int facility() {
        return pri / 8;
    }

    /** The severity code, 0 (emergency) .. 7 (debug). */
    public int severity() {
        return pri % 8;
    }
}
