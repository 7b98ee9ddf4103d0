package dev.pulse.sliding;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * top_products from per-product panes: totals per product over the window's panes, ranked by orders desc, gmv
 * desc, product_id asc; ranks 1..N without gaps. Rows are keyed by rank, so a rewrite puts the new product on the
 * rank a product fell from; the number of products in a window never shrinks (events only add), so no rank row
 * is left over. A pane's products are kept as entries ({@link PaneEntries}): an upstream update is one product's
 * whole pane value, so it rewrites that product's entry only, and the panes are put together when windows are due.
 */
public class TopProducts extends SlidingFromPanes<ProductPane, ProductPanes, TopProductRow> {
    static final Comparator<ProductPane> RANKING = Comparator.comparingLong((ProductPane p) -> p.orders).reversed()
            .thenComparing((ProductPane p) -> p.gmv, Comparator.reverseOrder())
            .thenComparingLong(p -> p.productId);

    private final int topN;

    public TopProducts(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs, int topN) {
        super(sizeMs, slideMs, allowedLatenessMs, emitIntervalMs,
                new PaneEntries<>(TypeInformation.of(ProductPane.class), p -> p.productId));
        this.topN = topN;
    }

    @Override
    protected long paneStart(ProductPane update) {
        return update.paneStart;
    }

    @Override
    protected ProductPanes store(ProductPanes stored, ProductPane update) {
        ProductPanes panes = stored == null ? new ProductPanes() : stored;
        panes.products.put(update.productId, update);
        return panes;
    }

    @Override
    protected void emit(long start, long end, List<ProductPanes> panes, boolean isFinal, Collector<TopProductRow> out) {
        Map<Long, ProductPane> totals = new HashMap<>();
        for (ProductPanes pane : panes) {
            for (ProductPane p : pane.products.values()) {
                ProductPane total = totals.computeIfAbsent(p.productId, id -> {
                    ProductPane t = new ProductPane();
                    t.productId = id;
                    return t;
                });
                p.addTo(total);
            }
        }
        List<ProductPane> ranked = new ArrayList<>(totals.values());
        ranked.sort(RANKING);
        for (int i = 0; i < Math.min(topN, ranked.size()); i++) {
            ProductPane p = ranked.get(i);
            TopProductRow row = new TopProductRow();
            row.windowSizeS = sizeMs / 1000;
            row.windowStart = start;
            row.windowEnd = end;
            row.rank = i + 1;
            row.productId = p.productId;
            row.productName = p.productName;
            row.orders = p.orders;
            row.items = p.items;
            row.gmv = p.gmv;
            row.isFinal = isFinal;
            out.collect(row);
        }
    }
}
