package io.logferry.sink.store;

/**
 * Decides whether an RFC 5424 TIMESTAMP, as {@link io.logferry.rfc5424.Rfc5424Parser} accepted it, is also a
 * value PostgreSQL's {@code timestamptz} accepts. The parser checks the grammar and each field's range; what
 * PostgreSQL refuses beyond that would fail the whole batch, again at every retry: year 0000, a day past the
 * month's end (2021-02-29) and an offset beyond ±15:59. Such a line is stored with a null {@code ts} (its
 * {@code raw} keeps the text). Allocation-free: it runs for every line.
 */
final class PostgresTimestamps {

    private static final int MAX_OFFSET_HOURS = 15;

    private PostgresTimestamps() {
    }

    /** True when {@code ts} ("YYYY-MM-DDThh:mm:ss[.frac](Z|±hh:mm)") can be cast to timestamptz. */
    static boolean accepts(String ts) {
        if (ts == null || ts.length() < 20 || ts.charAt(4) != '-' || ts.charAt(7) != '-' || ts.charAt(10) != 'T') {
            return false;
        }
        int year = number(ts, 0, 4);
        int month = number(ts, 5, 2);
        int day = number(ts, 8, 2);
        if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month)) {
            return false;
        }
        char last = ts.charAt(ts.length() - 1);
        if (last == 'Z') {
            return true;
        }
        int sign = ts.length() - 6;
        if (ts.charAt(sign) != '+' && ts.charAt(sign) != '-') {
            return false;
        }
        int hours = number(ts, sign + 1, 2);
        return hours >= 0 && hours <= MAX_OFFSET_HOURS;
    }

    private static int daysIn(int year, int month) {
        return switch (month) {
            case 2 -> (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28;
            case 4, 6, 9, 11 -> 30;
            default -> 31;
        };
    }

    /** The decimal number in ts[start, start+length), or -1 when a character is not a digit. */
    private static int number(String ts, int start, int length) {
        int n = 0;
        for (int i = start; i < start + length; i++) {
            char c = ts.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return n;
    }
}
