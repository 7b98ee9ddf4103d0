package dev.pulse.sliding;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental totals of one product in one pane. */
public class ProductPaneAggregate implements AggregateFunction<OrderEvent, ProductPane, ProductPane> {
    @Override
    public ProductPane createAccumulator() {
        return new ProductPane();
    }

    @Override
    public ProductPane add(OrderEvent e, ProductPane acc) {
        acc.productId = e.productId;
        acc.productName = e.productName;
        acc.orders++;
        acc.items += e.quantity;
        acc.gmv = acc.gmv.add(e.amount);
        return acc;
    }

    @Override
    public ProductPane getResult(ProductPane acc) {
        return acc;
    }

    @Override
    public ProductPane merge(ProductPane a, ProductPane b) {
        b.addTo(a);
        return a;
    }
}
