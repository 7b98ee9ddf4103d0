package dev.pulse.sliding;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.OrderEvent;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.orders.PaidOrders;
import dev.pulse.window.ConstantKey;
import dev.pulse.window.DeltaCombiner;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.time.Duration;
import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.integer;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;
import static dev.pulse.window.Windows.withEarlyResults;

/**
 * {@code gmv_sliding} and {@code top_products}: paid orders aggregated once per pane (one slide long), panes
 * combined into sliding windows of 5 min every 1 min and 1 h every 5 min.
 */
public final class SlidingMetrics extends MetricFamily {
    public static final SinkTable<GmvSlidingRow> GMV_TABLE = SinkTable.of("gmv_sliding", GmvSlidingRow.class,
            List.of(integer("window_size_s", r -> (int) r.windowSizeS), time("window_end", r -> r.windowEnd)),
            List.of(time("window_start", r -> r.windowStart), bigint("orders", r -> r.orders),
                    numeric("gmv", r -> r.gmv), bigint("unique_buyers", r -> r.uniqueBuyers)));
    public static final SinkTable<TopProductRow> TOP_TABLE = SinkTable.of("top_products", TopProductRow.class,
            List.of(integer("window_size_s", r -> (int) r.windowSizeS), time("window_end", r -> r.windowEnd),
                    integer("rank", r -> r.rank)),
            List.of(time("window_start", r -> r.windowStart), bigint("product_id", r -> r.productId),
                    text("product_name", r -> r.productName), bigint("orders", r -> r.orders),
                    bigint("items", r -> r.items), numeric("gmv", r -> r.gmv)));

    // Operator uids (never change once released).
    public static final String PAID_ORDERS_UID = "paid-orders";
    public static final String GMV_BUYERS_UID = "gmv-buyers";
    public static final String GMV_COMBINE_UID = "gmv-pane-partials-combine";

    public static String gmvPanesUid(String size) { return "gmv-panes-" + size; }
    public static String gmvSlidingUid(String size) { return "gmv-sliding-" + size; }
    public static String productPanesUid(String size) { return "product-panes-" + size; }
    public static String topProductsUid(String size) { return "top-products-" + size; }

    /** A sliding window family: size, slide, and the label used in uids and names. */
    record Sliding(Duration size, Duration slide, String label) {
        /** How many of the family's windows hold one of its panes. */
        int windowsPerPane() {
            return (int) (size.toMillis() / slide.toMillis());
        }
    }

    static final List<Sliding> SLIDING = List.of(
            new Sliding(Duration.ofMinutes(5), Duration.ofMinutes(1), "5m"),
            new Sliding(Duration.ofHours(1), Duration.ofMinutes(5), "1h"));

    /** Where family {@code f}'s new-buyer counts start in {@link GmvPane#newBuyers}; of {@code SLIDING.size()}: the length. */
    static int buyersOffset(int f) {
        int offset = 0;
        for (int i = 0; i < f; i++) {
            offset += SLIDING.get(i).windowsPerPane();
        }
        return offset;
    }

    public SlidingMetrics() {
        super(GMV_TABLE, TOP_TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        DataStream<OrderEvent> paid = inputs.orders().filter(new PaidOrders()).uid(PAID_ORDERS_UID).name("paid orders");
        long latenessMs = options.allowedLateness().toMillis();
        long emitMs = options.emitInterval().toMillis();
        DataStream<GmvPane> gmvPartials = DeltaCombiner.combine(inputs.ordersByUser()
                        .process(new GmvBuyersFunction(latenessMs), TypeInformation.of(GmvPane.class))
                        .uid(GMV_BUYERS_UID).name("paid orders as gmv panes, new buyers marked"),
                TypeInformation.of(GmvPane.class), GMV_COMBINE_UID, "gmv panes: add up per minute");
        DataStream<GmvSlidingRow> gmvSliding = null;
        DataStream<TopProductRow> topProducts = null;
        for (int f = 0; f < SLIDING.size(); f++) {
            Sliding w = SLIDING.get(f);
            long size = w.size().toMillis();
            long slide = w.slide().toMillis();
            DataStream<GmvSlidingRow> gmv = withEarlyResults(gmvPartials.keyBy(new ConstantKey<>(), Types.INT),
                            TumblingEventTimeWindows.of(w.slide()), options)
                    .aggregate(new GmvPaneAggregate(), new GmvPaneFunction())
                    .uid(gmvPanesUid(w.label())).name("gmv panes " + w.label())
                    .keyBy(new ConstantKey<>(), Types.INT)
                    .process(new GmvSliding(size, slide, latenessMs, emitMs, buyersOffset(f)))
                    .uid(gmvSlidingUid(w.label())).name("gmv_sliding " + w.label());
            DataStream<TopProductRow> top = withEarlyResults(paid.keyBy(e -> e.productId, Types.LONG),
                            TumblingEventTimeWindows.of(w.slide()), options)
                    .aggregate(new ProductPaneAggregate(), new ProductPaneFunction())
                    .uid(productPanesUid(w.label())).name("product panes " + w.label())
                    .keyBy(new ConstantKey<>(), Types.INT)
                    .process(new TopProducts(size, slide, latenessMs, emitMs, options.topN()))
                    .uid(topProductsUid(w.label())).name("top_products " + w.label());
            gmvSliding = gmvSliding == null ? gmv : gmvSliding.union(gmv);
            topProducts = topProducts == null ? top : topProducts.union(top);
        }
        GMV_TABLE.sink(gmvSliding, sinks);
        TOP_TABLE.sink(topProducts, sinks);
    }
}
