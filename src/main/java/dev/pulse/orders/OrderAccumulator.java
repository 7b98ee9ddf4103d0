package dev.pulse.orders;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/** Running totals of one order_metrics window; exact money, exact distinct buyers. */
public class OrderAccumulator {
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public long items;
    public Set<Long> buyers = new HashSet<>();
    public long cancelledOrders;
    public BigDecimal cancelledAmount = BigDecimal.ZERO;

    public OrderAccumulator() {}
}
