package io.logferry.rfc5424;

import java.nio.charset.StandardCharsets;

/**
 * Reads the TIMESTAMP of an RFC 5424 line as epoch milliseconds without building a parse tree: the HEC sink
 * needs only the time of each event, at hundreds of thousands of lines per second.
 */
public final class SyslogTime {

    /** Returned when the line has no RFC 5424 timestamp (not RFC 5424, NILVALUE, or malformed). */
    public static final long NONE = Long.MIN_VALUE;

    private SyslogTime() {
    }

    /** The line's RFC 5424 TIMESTAMP (section 6.2.3) in epoch milliseconds, or {@link #NONE}. */
    public static long epochMillis(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return epochMillis(bytes, 0, bytes.length);
    }

    /** The same for the UTF-8 line {@code buf[start, start + length)}. */
    public static long epochMillis(byte[] buf, int start, int length) {
        int end = start + length;
        if (length < 4 || buf[start] != '<') {
            return NONE;
        }
        int gt = indexOf(buf, (byte) '>', start + 1, Math.min(end, start + 5));
        if (gt < start + 2) {
            return NONE;
        }
        int sp = indexOf(buf, (byte) ' ', gt + 1, Math.min(end, gt + 4));
        if (sp < 0) {
            return NONE;
        }
        return parse(buf, sp + 1, end);
    }

    private static int indexOf(byte[] buf, byte b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (buf[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static long parse(byte[] s, int p, int end) {
        // YYYY-MM-DDTHH:MM:SS
        if (end < p + 20 || s[p + 4] != '-' || s[p + 7] != '-' || s[p + 10] != 'T' || s[p + 13] != ':'
                || s[p + 16] != ':') {
            return NONE;
        }
        int year = digits(s, p, 4);
        int month = digits(s, p + 5, 2);
        int day = digits(s, p + 8, 2);
        int hour = digits(s, p + 11, 2);
        int minute = digits(s, p + 14, 2);
        int second = digits(s, p + 17, 2);
        if ((year | month | day | hour | minute | second) < 0 || month < 1 || month > 12 || day < 1 || day > 31
                || hour > 23 || minute > 59 || second > 60) {
            return NONE;
        }
        int i = p + 19;
        int millis = 0;
        if (s[i] == '.') {
            int start = ++i;
            while (i < end && i - start < 6 && isDigit(s[i])) {
                if (i - start < 3) {
                    millis = millis * 10 + (s[i] - '0');
                }
                i++;
            }
            if (i == start) {
                return NONE;
            }
            for (int n = i - start; n < 3; n++) {
                millis *= 10;
            }
        }
        int offsetMinutes = offset(s, i, end);
        if (offsetMinutes == Integer.MIN_VALUE) {
            return NONE;
        }
        long days = epochDay(year, month, day);
        long seconds = days * 86_400 + hour * 3_600L + minute * 60L + second - offsetMinutes * 60L;
        return seconds * 1000 + millis;
    }

    private static int offset(byte[] s, int i, int end) {
        if (i >= end) {
            return Integer.MIN_VALUE;
        }
        byte c = s[i];
        if (c == 'Z') {
            return 0;
        }
        if ((c != '+' && c != '-') || end < i + 6 || s[i + 3] != ':') {
            return Integer.MIN_VALUE;
        }
        int h = digits(s, i + 1, 2);
        int m = digits(s, i + 4, 2);
        if (h < 0 || m < 0 || h > 23 || m > 59) {
            return Integer.MIN_VALUE;
        }
        return (c == '-' ? -1 : 1) * (h * 60 + m);
    }

    private static int digits(byte[] s, int start, int n) {
        int v = 0;
        for (int i = start; i < start + n; i++) {
            if (!isDigit(s[i])) {
                return -1;
            }
            v = v * 10 + (s[i] - '0');
        }
        return v;
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the algorithm java.time uses). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        total += (367L * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!((year & 3) == 0 && (year % 100 != 0 || year % 400 == 0))) {
                total--;
            }
        }
        return total - 719_528;
    }
}
