package dev.pulse.funnel;

import java.math.BigDecimal;

/** One row of {@code funnel_metrics}; primary key (grain, window_start). */
public class FunnelMetricRow {
    public String grain;
    public long windowStart;
    public long windowEnd;
    public long viewers;
    public long carters;
    public long checkouts;
    public long purchasers;
    /** purchasers / viewers, 4 decimal places; null when viewers = 0. */
    public BigDecimal conversionRate;
    public boolean isFinal;

    public FunnelMetricRow() {}
}
