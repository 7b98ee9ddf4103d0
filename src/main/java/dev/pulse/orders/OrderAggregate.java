package dev.pulse.orders;

import org.apache.flink.api.common.functions.AggregateFunction;

import java.math.BigDecimal;
import java.util.Set;

/** Incremental order totals: one accumulator per window and rollup key, updated per fact (a batch of orders). */
public class OrderAggregate implements AggregateFunction<OrderFact, OrderAccumulator, OrderTotals> {
    @Override
    public OrderAccumulator createAccumulator() {
        return new OrderAccumulator();
    }

    @Override
    public OrderAccumulator add(OrderFact f, OrderAccumulator acc) {
        return sum(acc, f.orders, f.gmv, f.items, f.buyers, f.cancelledOrders, f.cancelledAmount);
    }

    @Override
    public OrderTotals getResult(OrderAccumulator acc) {
        OrderTotals t = new OrderTotals();
        t.orders = acc.orders;
        t.gmv = acc.gmv;
        t.items = acc.items;
        t.uniqueBuyers = acc.buyers.size();
        t.cancelledOrders = acc.cancelledOrders;
        t.cancelledAmount = acc.cancelledAmount;
        return t;
    }

    @Override
    public OrderAccumulator merge(OrderAccumulator a, OrderAccumulator b) {
        return sum(a, b.orders, b.gmv, b.items, b.buyers, b.cancelledOrders, b.cancelledAmount);
    }

    private static OrderAccumulator sum(OrderAccumulator acc, long orders, BigDecimal gmv, long items, Set<Long> buyers,
                                        long cancelledOrders, BigDecimal cancelledAmount) {
        acc.orders += orders;
        acc.gmv = acc.gmv.add(gmv);
        acc.items += items;
        acc.buyers.addAll(buyers);
        acc.cancelledOrders += cancelledOrders;
        acc.cancelledAmount = acc.cancelledAmount.add(cancelledAmount);
        return acc;
    }
}
