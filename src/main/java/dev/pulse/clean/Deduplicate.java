package dev.pulse.clean;

import dev.pulse.events.Event;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by {@code event_id}: the first delivery passes, re-deliveries are dropped (counted). The marker is kept by
 * event time, exactly as long as a copy could still change a result, plus a horizon: from the watermark at which the
 * event's own 1-minute window is past its allowed lateness, the late filter sets aside any copy, so nothing can be
 * counted twice; the horizon ({@code --dedupe-horizon}) keeps recognising copies a while longer, so a producer's
 * ordinary re-delivery is counted as one, not as a late event. A copy arriving after that goes to late_events (its
 * original was counted). Replays clean up too (event time, not the wall clock). Memory: one marker and one timer per
 * event id within lateness + horizon of the watermark (about 235 bytes on the heap backend).
 */
public class Deduplicate<T extends Event> extends KeyedProcessFunction<String, T, T> {
    private final String stream;
    private final long windowMs;
    private final long allowedLatenessMs;
    private final long horizonMs;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public Deduplicate(String stream, long windowMs, long allowedLatenessMs, long horizonMs) {
        this.stream = stream;
        this.windowMs = windowMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getState(new ValueStateDescriptor<>("seen", Types.BOOLEAN));
        duplicates = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), stream + "Duplicates");
    }

    /** The watermark from which this event's marker can go. */
    long forgetAt(long eventTime) {
        return LateFilter.lateFrom(eventTime, windowMs, allowedLatenessMs) + horizonMs;
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        ctx.timerService().registerEventTimeTimer(forgetAt(event.eventTime));
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<T> out) {
        seen.clear();
    }
}
