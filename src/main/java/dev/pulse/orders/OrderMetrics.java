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

    // Operator uids (never change once released).
    public static final String ROLLUP_UID = "order-rollup";
    public static final String COMBINE_UID = "order-facts-combine";

    public static String windowUid(String grain) {
        return "order-metrics-" + grain;
    }

    public OrderMetrics() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        KeyedStream<OrderFact, Tuple2<String, String>> byRegionCity = DeltaCombiner.combine(inputs.orders()
                        .flatMap(new OrderRollup()).uid(ROLLUP_UID).name("order rollup levels"),
                        TypeInformation.of(OrderFact.class), COMBINE_UID, "order facts: add up per key and minute")
                .keyBy(new RegionCityKey(), RegionCityKey.TYPE);
        DataStream<OrderMetricRow> rows = window(byRegionCity, "1m", Duration.ofMinutes(1), options)
                .union(window(byRegionCity, "1h", Duration.ofHours(1), options),
                        window(byRegionCity, "1d", Duration.ofDays(1), options));
        TABLE.sink(rows, sinks);
    }

    public static SingleOutputStreamOperator<OrderMetricRow> window(KeyedStream<OrderFact, Tuple2<String, String>> facts,
                                                                    String grain, Duration size, PulseOptions options) {
        return withEarlyResults(facts, TumblingEventTimeWindows.of(size), options)
                .aggregate(new OrderAggregate(), new OrderWindowFunction(grain))
                .uid(windowUid(grain)).name("order_metrics " + grain);
    }
}
