package dev.pulse.payments;

import dev.pulse.window.Rates;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Adds the window bounds and the method to a window's payment totals. */
public class PaymentWindowFunction extends ProcessWindowFunction<PaymentTotals, PaymentMetricRow, String, TimeWindow> {
    @Override
    public void process(String method, Context ctx, Iterable<PaymentTotals> totals, Collector<PaymentMetricRow> out) {
        PaymentTotals t = totals.iterator().next();
        PaymentMetricRow row = new PaymentMetricRow();
        row.windowStart = ctx.window().getStart();
        row.windowEnd = ctx.window().getEnd();
        row.method = method;
        row.attempts = t.attempts;
        row.succeeded = t.succeeded;
        row.failed = t.attempts - t.succeeded;
        row.successRate = Rates.ratio(t.succeeded, t.attempts);
        row.amountSucceeded = t.amountSucceeded;
        row.isFinal = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(row);
    }
}
