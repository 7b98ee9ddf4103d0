package dev.pulse.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses and prints durations in the command-line form: {@code 500ms}, {@code 5s}, {@code 2min}, {@code 1h}, {@code 1d}. */
public final class Durations {
    private static final Pattern FORM = Pattern.compile("(\\d+)\\s*(ms|s|min|m|h|d)");
    /** Far beyond any sensible window or bound, and far below where milliseconds overflow a long in window arithmetic. */
    public static final Duration MAX = Duration.ofDays(3650);

    private Durations() {}

    public static Duration parse(String text) {
        Matcher m = FORM.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration; write it as 500ms, 5s, 2min, 1h or 1d");
        }
        Duration d;
        try {
            d = of(Long.parseLong(m.group(1)), m.group(2));
        } catch (ArithmeticException | NumberFormatException overflow) {
            d = null;
        }
        if (d == null || d.compareTo(MAX) > 0) {
            throw new IllegalArgumentException("'" + text + "' is too long; give at most " + format(MAX));
        }
        return d;
    }

    private static Duration of(long n, String unit) {
        switch (unit) {
            case "ms": return Duration.ofMillis(n);
            case "s": return Duration.ofSeconds(n);
            case "m":
            case "min": return Duration.ofMinutes(n);
            case "h": return Duration.ofHours(n);
            default: return Duration.ofDays(n);
        }
    }

    public static String format(Duration d) {
        long ms = d.toMillis();
        if (ms % 86_400_000L == 0 && ms > 0) return ms / 86_400_000L + "d";
        if (ms % 3_600_000L == 0 && ms > 0) return ms / 3_600_000L + "h";
        if (ms % 60_000L == 0 && ms > 0) return ms / 60_000L + "min";
        if (ms % 1000L == 0 && ms > 0) return ms / 1000L + "s";
        return ms + "ms";
    }
}
