package dev.pulse.orders;

import dev.pulse.events.OrderEvent;
import dev.pulse.window.Rollup;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/**
 * GMV semantics of SPEC §3: a {@code paid} event adds the order to GMV, a {@code cancelled} event counts apart,
 * {@code pending} and {@code completed} add nothing. Each counted event is placed at the three rollup levels.
 */
public class OrderRollup implements FlatMapFunction<OrderEvent, OrderFact> {
    @Override
    public void flatMap(OrderEvent e, Collector<OrderFact> out) {
        boolean paid = OrderEvent.PAID.equals(e.status);
        if (!paid && !OrderEvent.CANCELLED.equals(e.status)) {
            return;
        }
        out.collect(new OrderFact(Rollup.ALL, Rollup.ALL, paid, e.userId, e.quantity, e.amount));
        out.collect(new OrderFact(e.region, Rollup.ALL, paid, e.userId, e.quantity, e.amount));
        out.collect(new OrderFact(e.region, e.city, paid, e.userId, e.quantity, e.amount));
    }
}
