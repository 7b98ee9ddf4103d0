package dev.pulse.orders;

import org.apache.flink.api.common.functions.AggregateFunction;

import java.math.BigDecimal;

/** Incremental order totals: one accumulator per window and rollup key, updated per fact (a batch of orders). */
public class OrderAggregate implements AggregateFunction<OrderFact, OrderAccumulator, OrderTotals> {
    /** The window's grain: index into {@link OrderMetrics#GRAINS} and a fact's buyers new to it. */
    private final int grain;

    public OrderAggregate(int grain) {
        this.grain = grain;
    }

    @Override
    public OrderAccumulator createAccumulator() {
        return new OrderAccumulator();
    }

    @Override
    public OrderAccumulator add(OrderFact f, OrderAccumulator acc) {
        return sum(acc, f.orders, f.gmv, f.items, f.newBuyers[grain], f.cancelledOrders, f.cancelledAmount);
    }

    @Override
    public OrderTotals getResult(OrderAccumulator acc) {
        OrderTotals t = new OrderTotals();
        t.orders = acc.orders;
        t.gmv = acc.gmv;
        t.items = acc.items;
        t.uniqueBuyers = acc.uniqueBuyers;
        t.cancelledOrders = acc.cancelledOrders;
        t.cancelledAmount = acc.cancelledAmount;
        return t;
    }

    @Override
    public OrderAccumulator merge(OrderAccumulator a, OrderAccumulator b) {
        return sum(a, b.orders, b.gmv, b.items, b.uniqueBuyers, b.cancelledOrders, b.cancelledAmount);
    }

    private static OrderAccumulator sum(OrderAccumulator acc, long orders, BigDecimal gmv, long items, long buyers,
                                        long cancelledOrders, BigDecimal cancelledAmount) {
        acc.orders += orders;
        acc.gmv = acc.gmv.add(gmv);
        acc.items += items;
        acc.uniqueBuyers += buyers;
        acc.cancelledOrders += cancelledOrders;
        acc.cancelledAmount = acc.cancelledAmount.add(cancelledAmount);
        return acc;
    }
}
