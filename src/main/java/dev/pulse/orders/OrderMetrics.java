package dev.pulse.orders;

import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.DeltaCombiner;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.time.Duration;
import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;
import static dev.pulse.window.Windows.withEarlyResults;

/** {@code order_metrics}: paid/cancelled events at three rollup levels, tumbling 1 min, 1 h, 1 day. */
public final class OrderMetrics extends MetricFamily {
    public static final SinkTable<OrderMetricRow> TABLE = SinkTable.of("order_metrics", OrderMetricRow.class,
            List.of(text("grain", r -> r.grain), time("window_start", r -> r.windowStart),
                    text("region", r -> r.region), text("city", r -> r.city)),
            List.of(time("window_end", r -> r.windowEnd), bigint("orders", r -> r.orders), numeric("gmv", r -> r.gmv),
                    numeric("avg_order_value", r -> r.avgOrderValue), bigint("items", r -> r.items),
                    bigint("unique_buyers", r -> r.uniqueBuyers), bigint("cancelled_orders", r -> r.cancelledOrders),
                    numeric("cancelled_amount", r -> r.cancelledAmount)));

    /** A tumbling window grain: its label in the table and uids, and its size. */
    public record Grain(String label, Duration size) {}

    public static final List<Grain> GRAINS = List.of(new Grain("1m", Duration.ofMinutes(1)),
            new Grain("1h", Duration.ofHours(1)), new Grain("1d", Duration.ofDays(1)));

    // Operator uids (never change once released).
    public static final String BUYERS_UID = "order-buyers";
    public static final String COMBINE_UID = "order-facts-combine";

    public static String windowUid(String grain) {
        return "order-metrics-" + grain;
    }

    public OrderMetrics() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        KeyedStream<OrderFact, Tuple2<String, String>> byRegionCity = DeltaCombiner.combine(inputs.ordersByUser()
                        .process(new OrderBuyersFunction(options.allowedLateness().toMillis()),
                                TypeInformation.of(OrderFact.class))
                        .uid(BUYERS_UID).name("order facts, new buyers marked"),
                        TypeInformation.of(OrderFact.class), COMBINE_UID, "order facts: add up per key and minute")
                .keyBy(new RegionCityKey(), RegionCityKey.TYPE);
        DataStream<OrderMetricRow> rows = null;
        for (int g = 0; g < GRAINS.size(); g++) {
            DataStream<OrderMetricRow> grain = window(byRegionCity, g, options);
            rows = rows == null ? grain : rows.union(grain);
        }
        TABLE.sink(rows, sinks);
    }

    public static SingleOutputStreamOperator<OrderMetricRow> window(KeyedStream<OrderFact, Tuple2<String, String>> facts,
                                                                    int grain, PulseOptions options) {
        Grain g = GRAINS.get(grain);
        return withEarlyResults(facts, TumblingEventTimeWindows.of(g.size()), options)
                .aggregate(new OrderAggregate(grain), new OrderWindowFunction(g.label()))
                .uid(windowUid(g.label())).name("order_metrics " + g.label());
    }
}
