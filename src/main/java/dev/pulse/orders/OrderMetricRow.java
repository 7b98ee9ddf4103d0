package dev.pulse.orders;

import java.math.BigDecimal;

/** One row of {@code order_metrics}; primary key (grain, window_start, region, city). */
public class OrderMetricRow {
    public String grain;
    public long windowStart;
    public long windowEnd;
    public String region;
    public String city;
    public long orders;
    public BigDecimal gmv;
    /** Null when the window has no paid order. */
    public BigDecimal avgOrderValue;
    public long items;
    public long uniqueBuyers;
    public long cancelledOrders;
    public BigDecimal cancelledAmount;
    /** True once the watermark has passed the window's end. */
    public boolean isFinal;

    public OrderMetricRow() {}
}
