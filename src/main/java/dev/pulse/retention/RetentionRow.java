package dev.pulse.retention;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/**
 * One row of {@code retention}; primary key cohort_day (the UTC day in {@code windowStart}; {@code windowEnd} is the
 * end of day cohort_day + 30, the last day the row counts).
 */
public class RetentionRow extends WindowRow {
    public long cohortSize;
    public long retainedD1;
    public long retainedD7;
    public long retainedD30;
    /** retained / cohort_size, 4 decimal places. */
    public BigDecimal rateD1;
    public BigDecimal rateD7;
    public BigDecimal rateD30;

    public RetentionRow() {}
}
