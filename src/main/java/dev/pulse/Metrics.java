package dev.pulse;

import dev.pulse.active.ActiveUsers;
import dev.pulse.funnel.FunnelMetrics;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.SinkTable;
import dev.pulse.orders.OrderMetrics;
import dev.pulse.paths.PathTransitions;
import dev.pulse.payments.PaymentMetrics;
import dev.pulse.retention.Retention;
import dev.pulse.sessions.SessionFunnel;
import dev.pulse.sliding.SlidingMetrics;

import java.util.List;

/**
 * The one registration of every metric family. The job builds each family's sub-graph, and the metric tables (their
 * sinks, the progress line's row counters, the tests' table lists, the README's table list) come from here.
 */
public final class Metrics {
    public static final List<MetricFamily> FAMILIES = List.of(new OrderMetrics(), new SlidingMetrics(),
            new FunnelMetrics(), new SessionFunnel(), new PaymentMetrics(), new ActiveUsers(), new Retention(),
            new PathTransitions());

    private Metrics() {}

    /** Every metric table, in registration order. */
    public static List<SinkTable<?>> tables() {
        return FAMILIES.stream().flatMap(f -> f.tables().stream()).toList();
    }

    /** The sinks' row counters, one per metric table. */
    public static List<String> rowCounters() {
        return tables().stream().map(SinkTable::rowsMetric).toList();
    }
}
