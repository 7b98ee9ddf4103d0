package dev.pulse.sliding;


import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental totals of one GMV pane, from partial panes (the paid orders of a minute, added up per task). */
public class GmvPaneAggregate implements AggregateFunction<GmvPane, GmvPane, GmvPane> {
    @Override
    public GmvPane createAccumulator() {
        return new GmvPane();
    }

    @Override
    public GmvPane add(GmvPane partial, GmvPane acc) {
        acc.absorb(partial);
        return acc;
    }

    @Override
    public GmvPane getResult(GmvPane acc) {
        return acc;
    }

    @Override
    public GmvPane merge(GmvPane a, GmvPane b) {
        a.absorb(b);
        return a;
    }
}
