package dev.pulse.clean;

import org.apache.flink.metrics.Counter;
import org.apache.flink.metrics.MetricGroup;

/** Pulse's own Flink counters live in the {@code pulse} group; the local progress line reads them. */
public final class PulseMetrics {
    public static final String GROUP = "pulse";

    private PulseMetrics() {}

    public static Counter counter(MetricGroup operatorGroup, String name) {
        return operatorGroup.addGroup(GROUP).counter(name);
    }
}
