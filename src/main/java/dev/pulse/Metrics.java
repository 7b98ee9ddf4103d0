package dev.pulse;

import dev.pulse.active.ActiveUsers;
import dev.pulse.funnel.FunnelMetrics;
import dev.pulse.config.UsageException;
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

    /** The families that compute any of {@code tables} (null: all), in registration order. */
    public static List<MetricFamily> families(List<String> tables) {
        return tables == null ? FAMILIES : FAMILIES.stream()
                .filter(f -> f.tables().stream().anyMatch(t -> tables.contains(t.name()))).toList();
    }

    /** Refuses a {@code --tables} name that is no metric table. */
    public static void checkTables(List<String> tables) throws UsageException {
        List<String> known = tables().stream().map(SinkTable::name).toList();
        for (String t : tables == null ? List.<String>of() : tables) {
            if (!known.contains(t)) {
                throw new UsageException("--tables: " + t + " is no metric table; give some of " + String.join(",", known));
            }
        }
    }

    /** Every metric table, in registration order. */
    public static List<SinkTable<?>> tables() {
        return FAMILIES.stream().flatMap(f -> f.tables().stream()).toList();
    }

    /** The sinks' row counters, one per metric table. */
    public static List<String> rowCounters() {
        return tables().stream().map(SinkTable::rowsMetric).toList();
    }
}
