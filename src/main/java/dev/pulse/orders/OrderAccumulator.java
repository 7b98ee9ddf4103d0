package dev.pulse.orders;

import java.math.BigDecimal;

/** Running totals of one order_metrics window; exact money, exact distinct buyers (each counted once, where new). */
public class OrderAccumulator {
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public long items;
    public long uniqueBuyers;
    public long cancelledOrders;
    public BigDecimal cancelledAmount = BigDecimal.ZERO;

    public OrderAccumulator() {}
}
