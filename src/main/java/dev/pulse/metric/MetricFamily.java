package dev.pulse.metric;

import dev.pulse.config.PulseOptions;

import java.util.List;

/**
 * A metric family: the tables it writes and the sub-graph that computes them from the cleaned streams, with its
 * own operator uids (stable: savepoints map state by them, so they never change once released). Registered once in
 * {@code dev.pulse.Metrics}; {@code PulseJob} only composes the families.
 */
public abstract class MetricFamily {
    private final List<SinkTable<?>> tables;

    protected MetricFamily(SinkTable<?>... tables) {
        this.tables = List.of(tables);
    }

    public final List<SinkTable<?>> tables() {
        return tables;
    }

    /** Adds the family's operators to the job: from {@code inputs} into its tables through {@code sinks}. */
    public abstract void build(MetricInputs inputs, PulseOptions options, TableSinks sinks);
}
