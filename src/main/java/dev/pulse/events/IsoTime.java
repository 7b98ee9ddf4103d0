package dev.pulse.events;

/**
 * A fast path for the one ISO-8601 form producers write almost always: {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}]} then
 * {@code Z} or {@code ±HH:MM}, upper case. It gives exactly what {@code OffsetDateTime.parse(s).toInstant()
 * .toEpochMilli()} gives for such a string (fraction truncated to the millisecond, as {@code toEpochMilli} does), and
 * {@link #NOT_HANDLED} for anything else, valid or not (lower-case {@code t}/{@code z}, no seconds, a longer year,
 * seconds in the offset, an invalid date such as February 30, a time before 1970 or after 9999-12-31T23:59:59.998Z),
 * which the caller then hands to {@code OffsetDateTime.parse}: the slow path decides every case this one does not.
 */
final class IsoTime {
    /** Returned for a string this path does not decide. */
    static final long NOT_HANDLED = Long.MIN_VALUE;
    /** 9999-12-31T23:59:59.999Z: at or above it the caller's range check (which sees nanoseconds) decides. */
    private static final long MAX_MS = 253402300799999L;

    private IsoTime() {}

    /** Epoch milliseconds of {@code s}, in [0, 9999-12-31T23:59:59.999Z), or {@link #NOT_HANDLED}. */
    static long epochMillis(String s) {
        int n = s.length();
        // 2025-10-03T10:15:30Z is the shortest: 20 characters; with a nine-digit fraction and an offset, 35.
        if (n < 20 || n > 35) return NOT_HANDLED;
        int year = digits4(s, 0);
        if (year < 0 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
                || s.charAt(13) != ':' || s.charAt(16) != ':') {
            return NOT_HANDLED;
        }
        int month = digits2(s, 5), day = digits2(s, 8), hour = digits2(s, 11), minute = digits2(s, 14),
                second = digits2(s, 17);
        if (month < 1 || month > 12 || day < 1 || day > lengthOfMonth(year, month) || hour < 0 || hour > 23
                || minute < 0 || minute > 59 || second < 0 || second > 59) {
            return NOT_HANDLED;
        }
        int i = 19;
        int millis = 0;
        if (s.charAt(i) == '.') {
            int start = ++i;
            while (i < n && isDigit(s.charAt(i))) {
                if (i - start < 3) millis = millis * 10 + (s.charAt(i) - '0');
                i++;
            }
            int digits = i - start;
            if (digits < 1 || digits > 9) return NOT_HANDLED;
            for (int d = digits; d < 3; d++) millis *= 10;
        }
        if (i >= n) return NOT_HANDLED;
        int offsetSeconds;
        char c = s.charAt(i);
        if (c == 'Z') {
            if (i + 1 != n) return NOT_HANDLED;
            offsetSeconds = 0;
        } else if (c == '+' || c == '-') {
            if (i + 6 != n || s.charAt(i + 3) != ':') return NOT_HANDLED;
            int oh = digits2(s, i + 1), om = digits2(s, i + 4);
            // ZoneOffset allows -18:00 to +18:00.
            if (oh < 0 || om < 0 || om > 59 || oh > 18 || (oh == 18 && om > 0)) return NOT_HANDLED;
            offsetSeconds = (oh * 3600 + om * 60) * (c == '-' ? -1 : 1);
        } else {
            return NOT_HANDLED;
        }
        long epochSecond = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        if (epochSecond < 0) return NOT_HANDLED;
        long ms = epochSecond * 1000L + millis;
        return ms >= MAX_MS ? NOT_HANDLED : ms;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static int digits2(String s, int at) {
        char a = s.charAt(at), b = s.charAt(at + 1);
        return isDigit(a) && isDigit(b) ? (a - '0') * 10 + (b - '0') : -1;
    }

    private static int digits4(String s, int at) {
        int hi = digits2(s, at), lo = digits2(s, at + 2);
        return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
    }

    private static boolean isLeap(int year) {
        return (year & 3) == 0 && (year % 100 != 0 || year % 400 == 0);
    }

    private static int lengthOfMonth(int year, int month) {
        switch (month) {
            case 2: return isLeap(year) ? 29 : 28;
            case 4: case 6: case 9: case 11: return 30;
            default: return 31;
        }
    }

    /** Days since 1970-01-01 of a proleptic Gregorian date (the algorithm of {@code LocalDate.toEpochDay}). */
    private static long epochDay(int year, int month, int day) {
        long y = year;
        long total = 365 * y;
        if (y >= 0) {
            total += (y + 3) / 4 - (y + 99) / 100 + (y + 399) / 400;
        } else {
            total -= y / -4 - y / -100 + y / -400;
        }
        total += (367 * month - 362) / 12;
        total += day - 1;
        if (month > 2) {
            total--;
            if (!isLeap(year)) total--;
        }
        return total - 719_528L; // days from year 0 to 1970
    }
}
