package dev.pulse.funnel;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code funnel_metrics}; primary key (grain, window_start). */
public class FunnelMetricRow extends WindowRow {
    public String grain;
    public long viewers;
    public long carters;
    public long checkouts;
    public long purchasers;
    /** purchasers / viewers, 4 decimal places; null when viewers = 0. */
    public BigDecimal conversionRate;

    public FunnelMetricRow() {}
}
