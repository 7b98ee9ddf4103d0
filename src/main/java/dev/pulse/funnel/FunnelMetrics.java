package dev.pulse.funnel;

import dev.pulse.active.ActiveDelta;
import dev.pulse.active.ActiveUsers;
import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;

import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;

/**
 * {@code funnel_metrics}: distinct users per step, tumbling 1 min and 1 h. A step's users are active_users of its
 * event type, so this family sums the same per-user first-event deltas ({@link ActiveUsers#deltas}) per window:
 * exact, spread over users, and no window holds a set of users.
 */
public final class FunnelMetrics extends MetricFamily {
    public static final SinkTable<FunnelMetricRow> TABLE = SinkTable.of("funnel_metrics", FunnelMetricRow.class,
            List.of(text("grain", r -> r.grain), time("window_start", r -> r.windowStart)),
            List.of(time("window_end", r -> r.windowEnd), bigint("viewers", r -> r.viewers),
                    bigint("carters", r -> r.carters), bigint("checkouts", r -> r.checkouts),
                    bigint("purchasers", r -> r.purchasers), numeric("conversion_rate", r -> r.conversionRate)));

    // Operator uids (never change once released). Retired: "funnel-metrics-1m", "funnel-metrics-1h" (window
    // operators with a set of users per step; their state is not restored).
    public static final String STEPS_UID = "funnel-steps";
    public static final String ROWS_UID = "funnel-metrics-rows";

    public FunnelMetrics() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(ActiveUsers.deltas(inputs, options)
                .filter(new FunnelSteps()).uid(STEPS_UID).name("funnel steps")
                .keyBy(d -> Tuple2.of(d.grain, d.windowStart), Types.TUPLE(Types.INT, Types.LONG))
                .process(new FunnelRows(options.allowedLateness().toMillis(), options.emitInterval().toMillis()),
                        TypeInformation.of(FunnelMetricRow.class))
                .uid(ROWS_UID).name("funnel_metrics rows"), sinks);
    }
}
