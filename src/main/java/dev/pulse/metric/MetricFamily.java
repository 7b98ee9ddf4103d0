package dev.pulse.metric;

import dev.pulse.config.PulseOptions;

import java.util.List;

/**
 * A metric family: the tables it writes and the sub-graph that computes them from the cleaned streams, with its
 * own operator uids. Registered once in {@code dev.pulse.Metrics}; {@code PulseJob} only composes the families.
 */
public interface MetricFamily {
    List<SinkTable<?>> tables();

    void build(MetricInputs inputs, PulseOptions options, TableSinks sinks);
}
