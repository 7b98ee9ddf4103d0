package dev.pulse.funnel;

import dev.pulse.window.Rates;
import dev.pulse.window.WindowRowFunction;

/** Adds the grain and the conversion rate to a window's step counts. */
public class FunnelWindowFunction extends WindowRowFunction<FunnelTotals, FunnelMetricRow, Integer> {
    private final String grain;

    public FunnelWindowFunction(String grain) {
        this.grain = grain;
    }

    @Override
    protected FunnelMetricRow row(Integer key, FunnelTotals t) {
        FunnelMetricRow row = new FunnelMetricRow();
        row.grain = grain;
        row.viewers = t.viewers;
        row.carters = t.carters;
        row.checkouts = t.checkouts;
        row.purchasers = t.purchasers;
        row.conversionRate = Rates.ratio(t.purchasers, t.viewers);
        return row;
    }
}
