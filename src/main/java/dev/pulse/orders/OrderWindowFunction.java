package dev.pulse.orders;

import dev.pulse.window.WindowRowFunction;

import org.apache.flink.api.java.tuple.Tuple2;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Adds the grain and the rollup key to a window's totals. */
public class OrderWindowFunction extends WindowRowFunction<OrderTotals, OrderMetricRow, Tuple2<String, String>> {
    private final String grain;

    public OrderWindowFunction(String grain) {
        this.grain = grain;
    }

    @Override
    protected OrderMetricRow row(Tuple2<String, String> key, OrderTotals t) {
        OrderMetricRow row = new OrderMetricRow();
        row.grain = grain;
        row.region = key.f0;
        row.city = key.f1;
        row.orders = t.orders;
        row.gmv = t.gmv;
        row.avgOrderValue = t.orders == 0 ? null
                : t.gmv.divide(BigDecimal.valueOf(t.orders), 2, RoundingMode.HALF_UP);
        row.items = t.items;
        row.uniqueBuyers = t.uniqueBuyers;
        row.cancelledOrders = t.cancelledOrders;
        row.cancelledAmount = t.cancelledAmount;
        return row;
    }
}
