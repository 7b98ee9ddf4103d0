package dev.pulse.orders;

import dev.pulse.events.OrderEvent;
import dev.pulse.window.Rollup;
import dev.pulse.window.Windows;

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
        long minute = Windows.finestStart(e.eventTime);
        out.collect(fact(Rollup.ALL, Rollup.ALL, paid, e, minute));
        out.collect(fact(e.region, Rollup.ALL, paid, e, minute));
        out.collect(fact(e.region, e.city, paid, e, minute));
    }

    private static OrderFact fact(String region, String city, boolean paid, OrderEvent e, long minute) {
        OrderFact f = new OrderFact(region, city, paid, e.userId, e.quantity, e.amount);
        f.minuteStart = minute;
        return f;
    }
}
