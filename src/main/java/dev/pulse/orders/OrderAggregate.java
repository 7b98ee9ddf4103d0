package dev.pulse.orders;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental order totals: one accumulator per window and rollup key, updated per event. */
public class OrderAggregate implements AggregateFunction<OrderFact, OrderAccumulator, OrderTotals> {
    @Override
    public OrderAccumulator createAccumulator() {
        return new OrderAccumulator();
    }

    @Override
    public OrderAccumulator add(OrderFact f, OrderAccumulator acc) {
        acc.orders += f.orders;
        acc.gmv = acc.gmv.add(f.gmv);
        acc.items += f.items;
        acc.buyers.addAll(f.buyers);
        acc.cancelledOrders += f.cancelledOrders;
        acc.cancelledAmount = acc.cancelledAmount.add(f.cancelledAmount);
        return acc;
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
        a.orders += b.orders;
        a.gmv = a.gmv.add(b.gmv);
        a.items += b.items;
        a.buyers.addAll(b.buyers);
        a.cancelledOrders += b.cancelledOrders;
        a.cancelledAmount = a.cancelledAmount.add(b.cancelledAmount);
        return a;
    }
}
