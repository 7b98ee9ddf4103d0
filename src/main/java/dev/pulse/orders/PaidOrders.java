package dev.pulse.orders;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.FilterFunction;

/** The events that add an order to GMV (SPEC §3): {@code paid}. */
public class PaidOrders implements FilterFunction<OrderEvent> {
    @Override
    public boolean filter(OrderEvent e) {
        return OrderEvent.PAID.equals(e.status);
    }
}
