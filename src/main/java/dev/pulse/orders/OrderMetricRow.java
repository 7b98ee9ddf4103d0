package dev.pulse.orders;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code order_metrics}; primary key (grain, window_start, region, city). */
public class OrderMetricRow extends WindowRow {
    public String grain;
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

    public OrderMetricRow() {}
}
