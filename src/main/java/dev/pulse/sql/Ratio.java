package dev.pulse.sql;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.annotation.InputGroup;
import org.apache.flink.table.functions.ScalarFunction;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code PULSE_RATIO(numerator, denominator, digits)}: numerator / denominator rounded once, half up, to {@code digits}
 * decimals, exactly (BigDecimal); NULL when the denominator is 0 or NULL. Flink's own DECIMAL division first rounds the
 * quotient to a derived scale, and rounding twice can differ from PostgreSQL's {@code round(a / b, n)} in the last digit.
 */
public class Ratio extends ScalarFunction {
    public @DataTypeHint("DECIMAL(38, 18)") BigDecimal eval(@DataTypeHint(inputGroup = InputGroup.ANY) Object numerator,
                                                          @DataTypeHint(inputGroup = InputGroup.ANY) Object denominator,
                                                          Integer digits) {
        BigDecimal n = decimal(numerator);
        BigDecimal d = decimal(denominator);
        if (n == null || d == null || d.signum() == 0 || digits == null) {
            return null;
        }
        return n.divide(d, digits, RoundingMode.HALF_UP).setScale(18, RoundingMode.UNNECESSARY);
    }

    static BigDecimal decimal(Object v) {
        if (v == null) return null;
        if (v instanceof BigDecimal b) return b;
        if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return BigDecimal.valueOf(((Number) v).longValue());
        }
        throw new IllegalArgumentException("PULSE_RATIO takes exact numbers, not " + v.getClass().getSimpleName());
    }
}
