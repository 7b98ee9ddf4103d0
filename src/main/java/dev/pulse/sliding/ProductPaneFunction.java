package dev.pulse.sliding;

import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

/** Stamps a product pane with its start. */
public class ProductPaneFunction extends ProcessWindowFunction<ProductPane, ProductPane, Long, TimeWindow> {
    @Override
    public void process(Long productId, Context ctx, Iterable<ProductPane> panes, Collector<ProductPane> out) {
        ProductPane acc = panes.iterator().next();
        ProductPane pane = new ProductPane();
        pane.paneStart = ctx.window().getStart();
        pane.productId = productId;
        acc.addTo(pane);
        out.collect(pane);
    }
}
