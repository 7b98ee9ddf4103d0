package dev.pulse.orders;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Adds the grain, the window bounds and the rollup key to a window's totals. */
public class OrderWindowFunction
        extends ProcessWindowFunction<OrderTotals, OrderMetricRow, Tuple2<String, String>, TimeWindow> {
    private final String grain;

    public OrderWindowFunction(String grain) {
        this.grain = grain;
    }

    @Override
    public void process(Tuple2<String, String> key, Context ctx, Iterable<OrderTotals> totals,
                        Collector<OrderMetricRow> out) {
        OrderTotals t = totals.iterator().next();
        OrderMetricRow row = new OrderMetricRow();
        row.grain = grain;
        row.windowStart = ctx.window().getStart();
        row.windowEnd = ctx.window().getEnd();
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
        row.isFinal = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(row);
    }
}
