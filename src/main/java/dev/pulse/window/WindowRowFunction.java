package dev.pulse.window;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/**
 * Turns a window's aggregate into its row: the subclass fills the metric's own columns, this stamps the window's
 * bounds and {@code is_final} (the watermark has passed the window's end).
 */
public abstract class WindowRowFunction<IN, OUT extends WindowRow, K>
        extends ProcessWindowFunction<IN, OUT, K, TimeWindow> {

    /** The row of one window, from its key and aggregate; bounds and finality are stamped afterwards. */
    protected abstract OUT row(K key, IN totals);

    @Override
    public void process(K key, Context ctx, Iterable<IN> totals, Collector<OUT> out) {
        OUT row = row(key, totals.iterator().next());
        row.windowStart = ctx.window().getStart();
        row.windowEnd = ctx.window().getEnd();
        row.isFinal = ctx.currentWatermark() >= ctx.window().maxTimestamp();
        out.collect(row);
    }
}
