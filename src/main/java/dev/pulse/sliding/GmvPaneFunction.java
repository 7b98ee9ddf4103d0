package dev.pulse.sliding;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Stamps a GMV pane with its start. Emits a copy: the accumulator stays the window operator's. */
public class GmvPaneFunction extends ProcessWindowFunction<GmvPane, GmvPane, Integer, TimeWindow> {
    @Override
    public void process(Integer key, Context ctx, Iterable<GmvPane> panes, Collector<GmvPane> out) {
        GmvPane acc = panes.iterator().next();
        GmvPane pane = new GmvPane();
        pane.paneStart = ctx.window().getStart();
        pane.orders = acc.orders;
        pane.gmv = acc.gmv;
        pane.newBuyers = acc.newBuyers.clone();
        out.collect(pane);
    }
}
