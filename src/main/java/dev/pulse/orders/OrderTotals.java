package dev.pulse.orders;

import java.math.BigDecimal;

/** The value of one order_metrics window, without bounds or key. */
public class OrderTotals {
    public long orders;
    public BigDecimal gmv;
    public long items;
    public long uniqueBuyers;
    public long cancelledOrders;
    public BigDecimal cancelledAmount;

    public OrderTotals() {}
}
