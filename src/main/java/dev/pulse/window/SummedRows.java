package dev.pulse.window;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.PrimitiveArrayTypeInfo;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by a row's primary key: adds signed deltas into a few running sums, upserts the row every emit interval
 * while it changes, marks it final once the watermark reaches {@link #finalAt}, and drops the sums at
 * {@link #purgeAt}, after which the upstream step guarantees no delta for this key can arrive (each subclass says
 * why). The steps that compute "who is new" per user emit deltas; this step only adds, so it stays small (one
 * {@code long[]} per row) and its key spreads the load.
 */
public abstract class SummedRows<K, D, R extends WindowRow> extends KeyedProcessFunction<K, D, R> {
    private final int width;
    private final long emitIntervalMs;
    /** The sums, then one slot: 1 when they changed since the row was last written. */
    private transient ValueState<long[]> sums;
    private transient ValueState<Long> nextTick;

    protected SummedRows(int width, long emitIntervalMs) {
        this.width = width;
        this.emitIntervalMs = emitIntervalMs;
    }

    /** Adds one delta into {@code sums} (length {@link #width}). */
    protected abstract void add(D delta, long[] sums);

    /** Event time from which the row is final (the watermark has passed its window). */
    protected abstract long finalAt(K key);

    /** Event time from which no delta for this key can arrive any more: the row is written a last time, then dropped. */
    protected abstract long purgeAt(K key);

    /** The row for these sums. */
    protected abstract R row(K key, long[] sums, boolean isFinal);

    @Override
    public void open(OpenContext openContext) {
        sums = getRuntimeContext().getState(
                new ValueStateDescriptor<>("sums", PrimitiveArrayTypeInfo.LONG_PRIMITIVE_ARRAY_TYPE_INFO));
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
    }

    @Override
    public void processElement(D delta, Context ctx, Collector<R> out) throws Exception {
        long[] s = sums.value();
        if (s == null) {
            s = new long[width + 1];
            ctx.timerService().registerEventTimeTimer(finalAt(ctx.getCurrentKey()));
            ctx.timerService().registerEventTimeTimer(purgeAt(ctx.getCurrentKey()));
        }
        add(delta, s);
        s[width] = 1;
        sums.update(s);
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= finalAt(ctx.getCurrentKey())) {
            // A late change to a final row: written at the next watermark, not only at the next tick.
            ctx.timerService().registerEventTimeTimer(watermark + 1);
        }
        Ticks.scheduleOnce(nextTick, ctx.timerService(), emitIntervalMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<R> out) throws Exception {
        long[] s = sums.value();
        if (s == null) {
            return;
        }
        K key = ctx.getCurrentKey();
        boolean isFinal = ctx.timerService().currentWatermark() >= finalAt(key);
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            nextTick.clear();
            if (s[width] == 1) {
                write(key, s, isFinal, out);
            }
            return;
        }
        if (s[width] == 1 || timestamp == finalAt(key)) {
            write(key, s, isFinal, out);
        }
        if (timestamp >= purgeAt(key)) {
            Long tick = nextTick.value();
            if (tick != null) {
                ctx.timerService().deleteProcessingTimeTimer(tick);
            }
            nextTick.clear();
            sums.clear();
        }
    }

    private void write(K key, long[] s, boolean isFinal, Collector<R> out) throws Exception {
        s[width] = 0;
        sums.update(s);
        out.collect(row(key, s, isFinal));
    }
}
