package dev.pulse.window;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Ratios as the tables store them: numeric with 4 decimal places, half up; null when the denominator is 0. */
public final class Rates {
    public static final int SCALE = 4;

    private Rates() {}

    public static BigDecimal ratio(long numerator, long denominator) {
        if (denominator == 0) {
            return null;
        }
        return BigDecimal.valueOf(numerator).divide(BigDecimal.valueOf(denominator), SCALE, RoundingMode.HALF_UP);
    }
}
