package dev.pulse.funnel;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.ConstantKey;

import org.apache.flink.api.common.typeinfo.Types;
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

/** {@code funnel_metrics}: distinct users per step, tumbling 1 min and 1 h. */
public final class FunnelMetrics extends MetricFamily {
    public static final SinkTable<FunnelMetricRow> TABLE = SinkTable.of("funnel_metrics", FunnelMetricRow.class,
            List.of(text("grain", r -> r.grain), time("window_start", r -> r.windowStart)),
            List.of(time("window_end", r -> r.windowEnd), bigint("viewers", r -> r.viewers),
                    bigint("carters", r -> r.carters), bigint("checkouts", r -> r.checkouts),
                    bigint("purchasers", r -> r.purchasers), numeric("conversion_rate", r -> r.conversionRate)));

    // Operator uids (never change once released).
    public static final String STEPS_UID = "funnel-steps";

    public static String windowUid(String grain) {
        return "funnel-metrics-" + grain;
    }

    public FunnelMetrics() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        KeyedStream<BehaviorEvent, Integer> steps = inputs.behavior()
                .filter(new FunnelStepFilter()).uid(STEPS_UID).name("funnel steps")
                .keyBy(new ConstantKey<>(), Types.INT);
        TABLE.sink(window(steps, "1m", Duration.ofMinutes(1), options)
                .union(window(steps, "1h", Duration.ofHours(1), options)), sinks);
    }

    static SingleOutputStreamOperator<FunnelMetricRow> window(KeyedStream<BehaviorEvent, Integer> steps,
                                                              String grain, Duration size, PulseOptions options) {
        return withEarlyResults(steps, TumblingEventTimeWindows.of(size), options)
                .aggregate(new FunnelAggregate(), new FunnelWindowFunction(grain))
                .uid(windowUid(grain)).name("funnel_metrics " + grain);
    }
}
