package dev.pulse.window;

import org.apache.flink.api.common.state.ReducingState;
import org.apache.flink.api.common.state.ReducingStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.windowing.triggers.Trigger;
import org.apache.flink.streaming.api.windowing.triggers.TriggerResult;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

/**
 * Event-time trigger with early results (SPEC §2). While a window is open, it fires at most once per
 * {@code interval} of processing time, and only when an element arrived since the last firing. It always fires
 * when the watermark passes the window's end (the final value). An element within allowed lateness marks the
 * window changed and is written by the next tick; a change still pending when the window is cleaned up is
 * fired then, so a bounded run's end of input loses nothing. Ticks are aligned to the interval so all windows
 * of a subtask flush together, which keeps sink batches large. Mergeable, for session windows.
 */
public class EarlyFiringTrigger extends Trigger<Object, TimeWindow> {
    private static final long serialVersionUID = 1L;

    private final long intervalMs;
    private final ReducingStateDescriptor<Boolean> changedDescriptor =
            new ReducingStateDescriptor<>("changed", (a, b) -> a || b, Types.BOOLEAN);
    private final ReducingStateDescriptor<Long> tickDescriptor =
            new ReducingStateDescriptor<>("next-tick", Math::min, Types.LONG);

    public EarlyFiringTrigger(long intervalMs) {
        this.intervalMs = intervalMs;
    }

    @Override
    public TriggerResult onElement(Object element, long timestamp, TimeWindow window, TriggerContext ctx)
            throws Exception {
        if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
        ctx.getPartitionedState(changedDescriptor).add(Boolean.TRUE);
        scheduleTick(ctx);
        return TriggerResult.CONTINUE;
    }

    private void scheduleTick(TriggerContext ctx) throws Exception {
        ReducingState<Long> tick = ctx.getPartitionedState(tickDescriptor);
        if (tick.get() == null) {
            long next = Ticks.next(ctx.getCurrentProcessingTime(), intervalMs);
            ctx.registerProcessingTimeTimer(next);
            tick.add(next);
        }
    }

    @Override
    public TriggerResult onProcessingTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        ctx.getPartitionedState(tickDescriptor).clear();
        return fireIfChanged(ctx);
    }

    @Override
    public TriggerResult onEventTime(long time, TimeWindow window, TriggerContext ctx) throws Exception {
        if (time == window.maxTimestamp()) {
            ctx.getPartitionedState(changedDescriptor).clear();
            return TriggerResult.FIRE;
        }
        return fireIfChanged(ctx); // the window operator's clean-up timer
    }

    private TriggerResult fireIfChanged(TriggerContext ctx) throws Exception {
        ReducingState<Boolean> changed = ctx.getPartitionedState(changedDescriptor);
        if (changed.get() == null) {
            return TriggerResult.CONTINUE;
        }
        changed.clear();
        return TriggerResult.FIRE;
    }

    @Override
    public boolean canMerge() {
        return true;
    }

    @Override
    public void onMerge(TimeWindow window, OnMergeContext ctx) throws Exception {
        ctx.mergePartitionedState(changedDescriptor);
        ctx.mergePartitionedState(tickDescriptor);
        if (window.maxTimestamp() > ctx.getCurrentWatermark()) {
            ctx.registerEventTimeTimer(window.maxTimestamp());
        }
        // Timers of the merged-away windows no longer fire for this one: schedule a tick of its own.
        ctx.getPartitionedState(tickDescriptor).clear();
        if (ctx.getPartitionedState(changedDescriptor).get() != null) {
            scheduleTick(ctx);
        }
    }

    @Override
    public void clear(TimeWindow window, TriggerContext ctx) throws Exception {
        ReducingState<Long> tick = ctx.getPartitionedState(tickDescriptor);
        if (tick.get() != null) {
            ctx.deleteProcessingTimeTimer(tick.get());
        }
        tick.clear();
        ctx.getPartitionedState(changedDescriptor).clear();
        ctx.deleteEventTimeTimer(window.maxTimestamp());
    }

    @Override
    public String toString() {
        return "EarlyFiringTrigger(" + intervalMs + "ms)";
    }
}
