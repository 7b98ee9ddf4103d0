package dev.pulse.local;

import dev.pulse.clean.PulseMetrics;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.Metric;
import org.apache.flink.metrics.MetricConfig;
import org.apache.flink.metrics.MetricGroup;
import org.apache.flink.metrics.reporter.MetricReporter;
import org.apache.flink.metrics.reporter.MetricReporterFactory;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A Flink metric reporter for local runs: it keeps references to Pulse's counters (group {@code pulse}) so the
 * launcher in the same JVM can sum them for its progress line. On a cluster, the same counters reach whatever
 * reporters the cluster configures.
 */
public class ProgressReporter implements MetricReporter {
    private static final Map<String, List<Counter>> COUNTERS = new ConcurrentHashMap<>();

    /** Registered in the local configuration as {@code metrics.reporter.<name>.factory.class}. */
    public static class Factory implements MetricReporterFactory {
        @Override
        public MetricReporter createMetricReporter(Properties properties) {
            return new ProgressReporter();
        }
    }

    @Override
    public void open(MetricConfig config) {}

    @Override
    public void close() {}

    @Override
    public void notifyOfAddedMetric(Metric metric, String name, MetricGroup group) {
        if (metric instanceof Counter counter && Arrays.asList(group.getScopeComponents()).contains(PulseMetrics.GROUP)) {
            COUNTERS.computeIfAbsent(name, k -> new CopyOnWriteArrayList<>()).add(counter);
        }
    }

    @Override
    public void notifyOfRemovedMetric(Metric metric, String name, MetricGroup group) {
        // Keep counters of finished tasks: the totals of a bounded run stay readable at its end.
    }

    /** Sum over all subtasks of the counter with this name. */
    public static long total(String name) {
        List<Counter> counters = COUNTERS.get(name);
        return counters == null ? 0 : counters.stream().mapToLong(Counter::getCount).sum();
    }
}
