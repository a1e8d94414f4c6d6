package io.logferry.rfc5424;

/**
 * Parses one syslog line in the RFC 5424 (section 6) format into an {@link Rfc5424Record}.
 *
 * <p>This runs for every received line, so it makes a single forward pass with {@code charAt},
 * allocates only the returned fields, and reports malformed input by returning {@code null}
 * rather than throwing. Each helper validates one field kind and returns the index where that
 * field ends, or -1 when the field is malformed.
 */
public final class Rfc5424Parser {

    private static final char SP = ' ';
    private static final char BOM = '\uFEFF';
    private static final int MAX_PRI = 191;
    private static final int MAX_HOSTNAME = 255;
    private static final int MAX_APP_NAME = 48;
    private static final int MAX_PROCID = 128;
    private static final int MAX_MSGID = 32;
    private static final int MAX_SD_NAME = 32;
    /** Length of the fixed-width part of a timestamp, "YYYY-MM-DDThh:mm:ss". */
    private static final int DATE_TIME_LENGTH = 19;

    private Rfc5424Parser() {
    }

    /**
     * Parses {@code line}, which must not contain the line terminator.
     *
     * @return the parsed record, or {@code null} if {@code line} is null or not a valid
     *     RFC 5424 message; never throws
     */
    public static Rfc5424Record parse(String line) {
        if (line == null) {
            return null;
        }
        int priEnd = priEnd(line);
        if (priEnd < 0) {
            return null;
        }
        int pri = toInt(line, 1, priEnd);
        if (pri > MAX_PRI) {
            return null;
        }
        int versionEnd = versionEnd(line, priEnd + 1);
        if (versionEnd < 0) {
            return null;
        }
        int timestampEnd = timestampEnd(line, versionEnd + 1);
        if (timestampEnd < 0) {
            return null;
        }
        int hostnameEnd = fieldEnd(line, timestampEnd + 1, MAX_HOSTNAME);
        if (hostnameEnd < 0) {
            return null;
        }
        int appNameEnd = fieldEnd(line, hostnameEnd + 1, MAX_APP_NAME);
        if (appNameEnd < 0) {
            return null;
        }
        int procIdEnd = fieldEnd(line, appNameEnd + 1, MAX_PROCID);
        if (procIdEnd < 0) {
            return null;
        }
        int msgIdEnd = fieldEnd(line, procIdEnd + 1, MAX_MSGID);
        if (msgIdEnd < 0) {
            return null;
        }
        int sdEnd = structuredDataEnd(line, msgIdEnd + 1);
        if (sdEnd < 0) {
            return null;
        }
        // Substrings only now that the whole line is known to be valid.
        return new Rfc5424Record(
                pri,
                toInt(line, priEnd + 1, versionEnd),
                nilOrText(line, versionEnd + 1, timestampEnd),
                nilOrText(line, timestampEnd + 1, hostnameEnd),
                nilOrText(line, hostnameEnd + 1, appNameEnd),
                nilOrText(line, appNameEnd + 1, procIdEnd),
                nilOrText(line, procIdEnd + 1, msgIdEnd),
                nilOrText(line, msgIdEnd + 1, sdEnd),
                message(line, sdEnd));
    }

    /**
     * PRI = "&lt;" 1*3DIGIT "&gt;"; returns the index of "&gt;". A leading zero is only allowed
     * in "&lt;0&gt;" so every PRIVAL has one spelling; the 0..191 range is checked by the caller.
     */
    private static int priEnd(String s) {
        if (s.isEmpty() || s.charAt(0) != '<') {
            return -1;
        }
        int end = digitsEnd(s, 1, 3);
        boolean leadingZero = end > 2 && s.charAt(1) == '0';
        return end > 1 && !leadingZero && isCharAt(s, end, '>') ? end : -1;
    }

    /** VERSION = NONZERO-DIGIT 0*2DIGIT, followed by SP; returns the index of that SP. */
    private static int versionEnd(String s, int start) {
        if (start >= s.length() || s.charAt(start) < '1' || s.charAt(start) > '9') {
            return -1;
        }
        return spAt(s, digitsEnd(s, start + 1, 2));
    }

    /**
     * TIMESTAMP = "-" / FULL-DATE "T" FULL-TIME (RFC 3339 with the RFC 5424 limits: upper-case
     * "T"/"Z", at most 6 fraction digits, no leap second), followed by SP; returns that SP's index.
     */
    private static int timestampEnd(String s, int start) {
        if (isCharAt(s, start, '-')) {
            return spAt(s, start + 1);
        }
        if (start + DATE_TIME_LENGTH > s.length() || !isDateTime(s, start)) {
            return -1;
        }
        int offsetStart = secFracEnd(s, start + DATE_TIME_LENGTH);
        return offsetStart < 0 ? -1 : spAt(s, offsetEnd(s, offsetStart));
    }

    /** "YYYY-MM-DDThh:mm:ss" at {@code p}; checks digit ranges but not calendar validity. */
    private static boolean isDateTime(String s, int p) {
        return isDigit(s.charAt(p)) && isDigit(s.charAt(p + 1))
                && isDigit(s.charAt(p + 2)) && isDigit(s.charAt(p + 3))
                && s.charAt(p + 4) == '-' && isTwoDigits(s, p + 5, 1, 12)
                && s.charAt(p + 7) == '-' && isTwoDigits(s, p + 8, 1, 31)
                && s.charAt(p + 10) == 'T' && isTwoDigits(s, p + 11, 0, 23)
                && s.charAt(p + 13) == ':' && isTwoDigits(s, p + 14, 0, 59)
                && s.charAt(p + 16) == ':' && isTwoDigits(s, p + 17, 0, 59);
    }

    /** Optional TIME-SECFRAC = "." 1*6DIGIT; returns the index after it, -1 if "." has no digit. */
    private static int secFracEnd(String s, int i) {
        if (!isCharAt(s, i, '.')) {
            return i;
        }
        int end = digitsEnd(s, i + 1, 6);
        return end > i + 1 ? end : -1;
    }

    /** TIME-OFFSET = "Z" / ("+" / "-") hh ":" mm; returns the index after it. */
    private static int offsetEnd(String s, int i) {
        if (isCharAt(s, i, 'Z')) {
            return i + 1;
        }
        boolean numeric = (isCharAt(s, i, '+') || isCharAt(s, i, '-'))
                && i + 6 <= s.length()
                && isTwoDigits(s, i + 1, 0, 23)
                && s.charAt(i + 3) == ':'
                && isTwoDigits(s, i + 4, 0, 59);
        return numeric ? i + 6 : -1;
    }

    /**
     * HOSTNAME, APP-NAME, PROCID, MSGID: 1..max printable US-ASCII chars, followed by SP; returns
     * that SP's index. NILVALUE "-" needs no special case here, it is a valid 1-char field.
     */
    private static int fieldEnd(String s, int start, int max) {
        int limit = Math.min(s.length(), start + max + 1); // + 1: room for the terminating SP
        for (int i = start; i < limit; i++) {
            char c = s.charAt(i);
            if (c == SP) {
                return i > start ? i : -1; // an empty field means a doubled SP
            }
            if (!isPrintUsAscii(c)) {
                return -1;
            }
        }
        return -1;
    }

    /**
     * STRUCTURED-DATA = "-" / 1*SD-ELEMENT; returns the index just after it, which must be the
     * end of the line or the SP before MSG.
     */
    private static int structuredDataEnd(String s, int start) {
        int end;
        if (isCharAt(s, start, '-')) {
            end = start + 1;
        } else {
            end = sdElementEnd(s, start);
            while (end >= 0 && isCharAt(s, end, '[')) {
                end = sdElementEnd(s, end);
            }
        }
        return end >= 0 && (end == s.length() || s.charAt(end) == SP) ? end : -1;
    }

    /** SD-ELEMENT = "[" SD-ID *(SP SD-PARAM) "]"; returns the index after "]". */
    private static int sdElementEnd(String s, int start) {
        if (!isCharAt(s, start, '[')) {
            return -1;
        }
        int i = sdNameEnd(s, start + 1);
        while (i >= 0 && i < s.length()) {
            char c = s.charAt(i);
            if (c == ']') {
                return i + 1;
            }
            if (c != SP) {
                return -1;
            }
            i = sdParamEnd(s, i + 1);
        }
        return -1; // malformed, or the line ended inside the element
    }

    /** SD-PARAM = PARAM-NAME "=" DQUOTE PARAM-VALUE DQUOTE; returns the index after the DQUOTE. */
    private static int sdParamEnd(String s, int start) {
        int i = sdNameEnd(s, start);
        if (i < 0 || !isCharAt(s, i, '=') || !isCharAt(s, i + 1, '"')) {
            return -1;
        }
        return paramValueEnd(s, i + 2);
    }

    /**
     * PARAM-VALUE up to its unescaped closing DQUOTE; returns the index after that DQUOTE. Any
     * char may appear, including an unescaped "]". A backslash always skips the next char: that
     * is exactly what \" \\ \] need, and for any other char it changes nothing.
     */
    private static int paramValueEnd(String s, int start) {
        int n = s.length();
        for (int i = start; i < n; i++) {
            char c = s.charAt(i);
            if (c == '"') {
                return i + 1;
            }
            if (c == '\\') {
                i++;
            }
        }
        return -1;
    }

    /** SD-ID / PARAM-NAME = 1*32 PRINTUSASCII except "=", SP, "]", DQUOTE; returns the end index. */
    private static int sdNameEnd(String s, int start) {
        int limit = Math.min(s.length(), start + MAX_SD_NAME + 1); // + 1 to detect over-long names
        int i = start;
        while (i < limit && isSdNameChar(s.charAt(i))) {
            i++;
        }
        int length = i - start;
        return length >= 1 && length <= MAX_SD_NAME ? i : -1;
    }

    /** MSG after the SP that follows STRUCTURED-DATA, without a leading BOM; null if absent. */
    private static String message(String s, int sdEnd) {
        if (sdEnd == s.length()) {
            return null;
        }
        int start = sdEnd + 1;
        if (isCharAt(s, start, BOM)) {
            start++;
        }
        return s.substring(start);
    }

    /** The text of a field, or null for NILVALUE "-". */
    private static String nilOrText(String s, int start, int end) {
        return end - start == 1 && s.charAt(start) == '-' ? null : s.substring(start, end);
    }

    /** Index after at most {@code max} digits starting at {@code start}. */
    private static int digitsEnd(String s, int start, int max) {
        int limit = Math.min(s.length(), start + max);
        int i = start;
        while (i < limit && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }

    /** Value of the (already validated, at most 3) digits in [start, end). */
    private static int toInt(String s, int start, int end) {
        int value = 0;
        for (int i = start; i < end; i++) {
            value = value * 10 + (s.charAt(i) - '0');
        }
        return value;
    }

    /** Two digits at {@code i} whose value is within [min, max]; the caller checks bounds. */
    private static boolean isTwoDigits(String s, int i, int min, int max) {
        char tens = s.charAt(i);
        char ones = s.charAt(i + 1);
        if (!isDigit(tens) || !isDigit(ones)) {
            return false;
        }
        int value = (tens - '0') * 10 + (ones - '0');
        return value >= min && value <= max;
    }

    private static int spAt(String s, int i) {
        return isCharAt(s, i, SP) ? i : -1;
    }

    /** Bounds-safe {@code s.charAt(i) == c}; negative i (a failed step) is simply false. */
    private static boolean isCharAt(String s, int i, char c) {
        return i >= 0 && i < s.length() && s.charAt(i) == c;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    /** PRINTUSASCII = %d33-126. */
    private static boolean isPrintUsAscii(char c) {
        return c >= '!' && c <= '~';
    }

    private static boolean isSdNameChar(char c) {
        return isPrintUsAscii(c) && c != '=' && c != ']' && c != '"';
    }
}
