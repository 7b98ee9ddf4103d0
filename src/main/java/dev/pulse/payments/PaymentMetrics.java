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
public final class PaymentMetrics implements MetricFamily {
    public static final SinkTable<PaymentMetricRow> TABLE = SinkTable.of("payment_metrics", PaymentMetricRow.class,
            List.of(time("window_start", r -> r.windowStart), text("method", r -> r.method)),
            List.of(time("window_end", r -> r.windowEnd), bigint("attempts", r -> r.attempts),
                    bigint("succeeded", r -> r.succeeded), bigint("failed", r -> r.failed),
                    numeric("success_rate", r -> r.successRate), numeric("amount_succeeded", r -> r.amountSucceeded)));

    /** Stable operator ids: savepoints map state by these, so they never change once released. */
    public static final class Uid {
        public static final String ROLLUP = "payment-rollup";
        public static final String WINDOW = "payment-metrics-1m";

        private Uid() {}
    }

    @Override
    public List<SinkTable<?>> tables() {
        return List.of(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(withEarlyResults(inputs.payments().flatMap(new PaymentRollup()).uid(Uid.ROLLUP).name("payment rollup")
                        .keyBy(f -> f.method, Types.STRING), TumblingEventTimeWindows.of(Duration.ofMinutes(1)), options)
                .aggregate(new PaymentAggregate(), new PaymentWindowFunction())
                .uid(Uid.WINDOW).name("payment_metrics 1m"), sinks);
    }
}
