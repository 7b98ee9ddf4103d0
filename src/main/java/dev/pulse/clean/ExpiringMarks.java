package dev.pulse.clean;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.state.VoidNamespace;
import org.apache.flink.runtime.state.VoidNamespaceSerializer;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;

/**
 * A keyed step that keeps one {@code long} mark per key until an event-time point the mark itself names
 * ({@link #forgetAt}). A mark at or past its point reads as absent at once, exactly as if a timer had cleared it at
 * that watermark; the memory is reclaimed by a sweep over all keys every half lifetime of a mark in event time
 * ({@link #sweepInterval}): a mark is visited about three times, and memory holds marks at most half a lifetime
 * longer than they are needed (a sweep every minute cost more than the timers it replaced in a replay).
 * Why not a timer per key: de-duplication holds one mark per event, and a timer per mark doubled the state, sat in a
 * priority queue the job paid for on every event, and was written again into every checkpoint for as long as it
 * lived (a third of checkpoint time went to serialising timers).
 */
public abstract class ExpiringMarks<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
    private final ValueStateDescriptor<Long> descriptor;
    private final long sweepEveryMs;
    private transient ValueState<Long> marks;
    private transient long watermark;
    private transient long nextSweep;

    protected ExpiringMarks(String stateName, long sweepEveryMs) {
        this.descriptor = new ValueStateDescriptor<>(stateName, Types.LONG);
        this.sweepEveryMs = sweepEveryMs;
    }

    /** Event time between two sweeps for marks that live {@code lifetimeMs}: half of it, at least a minute. */
    public static long sweepInterval(long lifetimeMs) {
        return Math.max(60_000, lifetimeMs / 2);
    }

    /** The watermark from which {@code mark} is forgotten. */
    protected abstract long forgetAt(long mark);

    @Override
    public void open() throws Exception {
        super.open();
        marks = getPartitionedState(descriptor);
        watermark = Long.MIN_VALUE;
        nextSweep = Long.MIN_VALUE;
    }

    /** The current key's mark, or null when it has none or it is forgotten at the current watermark. */
    protected Long mark() throws Exception {
        Long mark = marks.value();
        return mark == null || forgetAt(mark) <= watermark ? null : mark;
    }

    protected void mark(long mark) throws Exception {
        marks.update(mark);
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        watermark = Math.max(watermark, mark.getTimestamp());
        if (watermark >= nextSweep) {
            sweep();
            nextSweep = watermark + sweepEveryMs;
        }
        super.processWatermark(mark);
    }

    private void sweep() throws Exception {
        long at = watermark;
        getKeyedStateBackend().applyToAllKeys(VoidNamespace.INSTANCE, VoidNamespaceSerializer.INSTANCE, descriptor,
                (key, state) -> {
                    Long mark = state.value();
                    if (mark != null && forgetAt(mark) <= at) {
                        state.clear();
                    }
                });
    }
}
