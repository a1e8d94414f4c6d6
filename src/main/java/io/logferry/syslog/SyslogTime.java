package io.logferry.syslog;

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
        int gt = line.indexOf('>');
        if (!line.startsWith("<") || gt < 2 || gt > 4) {
            return NONE;
        }
        int sp = line.indexOf(' ', gt + 1);
        if (sp < 0 || sp - gt > 3) {
            return NONE;
        }
        return parse(line, sp + 1);
    }

    private static long parse(String s, int p) {
        // YYYY-MM-DDTHH:MM:SS
        if (s.length() < p + 20 || s.charAt(p + 4) != '-' || s.charAt(p + 7) != '-' || s.charAt(p + 10) != 'T'
                || s.charAt(p + 13) != ':' || s.charAt(p + 16) != ':') {
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
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < s.length() && i - start < 6 && Character.isDigit(s.charAt(i))) {
                if (i - start < 3) {
                    millis = millis * 10 + (s.charAt(i) - '0');
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
        int offsetMinutes = offset(s, i);
        if (offsetMinutes == Integer.MIN_VALUE) {
            return NONE;
        }
        long days = epochDay(year, month, day);
        long seconds = days * 86_400 + hour * 3_600L + minute * 60L + second - offsetMinutes * 60L;
        return seconds * 1000 + millis;
    }

    private static int offset(String s, int i) {
        if (i >= s.length()) {
            return Integer.MIN_VALUE;
        }
        char c = s.charAt(i);
        if (c == 'Z') {
            return 0;
        }
        if ((c != '+' && c != '-') || s.length() < i + 6 || s.charAt(i + 3) != ':') {
            return Integer.MIN_VALUE;
        }
        int h = digits(s, i + 1, 2);
        int m = digits(s, i + 4, 2);
        if (h < 0 || m < 0 || h > 23 || m > 59) {
            return Integer.MIN_VALUE;
        }
        return (c == '-' ? -1 : 1) * (h * 60 + m);
    }

    private static int digits(String s, int start, int n) {
        int v = 0;
        for (int i = start; i < start + n; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
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
