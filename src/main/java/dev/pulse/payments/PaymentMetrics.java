package dev.pulse.payments;

import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.assigners.TumblingEventTimeWindows;

import java.time.Duration;
import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;
import static dev.pulse.window.Windows.withEarlyResults;

/** {@code payment_metrics}: tumbling 1 min by method and {@code *}. */
public final class PaymentMetrics extends MetricFamily {
    public static final SinkTable<PaymentMetricRow> TABLE = SinkTable.of("payment_metrics", PaymentMetricRow.class,
            List.of(time("window_start", r -> r.windowStart), text("method", r -> r.method)),
            List.of(time("window_end", r -> r.windowEnd), bigint("attempts", r -> r.attempts),
                    bigint("succeeded", r -> r.succeeded), bigint("failed", r -> r.failed),
                    numeric("success_rate", r -> r.successRate), numeric("amount_succeeded", r -> r.amountSucceeded)));

    // Operator uids (never change once released).
    public static final String ROLLUP_UID = "payment-rollup";
    public static final String WINDOW_UID = "payment-metrics-1m";

    public PaymentMetrics() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(withEarlyResults(inputs.payments().flatMap(new PaymentRollup()).uid(ROLLUP_UID).name("payment rollup")
                        .keyBy(f -> f.method, Types.STRING), TumblingEventTimeWindows.of(Duration.ofMinutes(1)), options)
                .aggregate(new PaymentAggregate(), new PaymentWindowFunction())
                .uid(WINDOW_UID).name("payment_metrics 1m"), sinks);
    }
}
