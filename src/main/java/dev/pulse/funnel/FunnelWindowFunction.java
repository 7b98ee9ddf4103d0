package dev.pulse.funnel;

import dev.pulse.window.Rates;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds the grain, the window bounds and the conversion rate to a window's step counts. */
public class FunnelWindowFunction extends ProcessWindowFunction<FunnelTotals, FunnelMetricRow, Integer, TimeWindow> {
    private final String grain;

    public FunnelWindowFunction(String grain) {
        this.grain = grain;
    }

    @Override
    public void process(Integer key, Context ctx, Iterable<FunnelTotals> totals, Collector<FunnelMetricRow> out) {
        FunnelTotals t = totals.iterator().next();
        FunnelMetricRow row = new FunnelMetricRow();
        row.grain = grain;
        row.windowStart = ctx.window().getStart();
        row.windowEnd = ctx.window().getEnd();
        row.viewers = t.viewers;
        row.carters = t.carters;
        row.checkouts = t.checkouts;
        row.purchasers = t.purchasers;
        row.conversionRate = Rates.ratio(t.purchasers, t.viewers);
        row.isFinal = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(row);
    }
}
