package dev.pulse.sliding;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental totals of one GMV pane. */
public class GmvPaneAggregate implements AggregateFunction<OrderEvent, GmvPane, GmvPane> {
    @Override
    public GmvPane createAccumulator() {
        return new GmvPane();
    }

    @Override
    public GmvPane add(OrderEvent e, GmvPane acc) {
        acc.orders++;
        acc.gmv = acc.gmv.add(e.amount);
        acc.buyers.add(e.userId);
        return acc;
    }

    @Override
    public GmvPane getResult(GmvPane acc) {
        return acc;
    }

    @Override
    public GmvPane merge(GmvPane a, GmvPane b) {
        a.orders += b.orders;
        a.gmv = a.gmv.add(b.gmv);
        a.buyers.addAll(b.buyers);
        return a;
    }
}
