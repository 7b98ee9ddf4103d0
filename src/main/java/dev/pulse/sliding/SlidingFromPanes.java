package dev.pulse.sliding;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import dev.pulse.window.Ticks;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Sliding windows (size, slide) built from panes: tumbling slices as long as the slide, pre-aggregated upstream by
 * an ordinary window operator with early firing and allowed lateness. Each event is aggregated once per pane
 * instead of once per overlapping window (12 times for 1 h every 5 min), and distinct counts stay exact because
 * a pane carries its distinct members. Here the panes are kept until no window can change any more, and a window
 * is recomputed from its panes only when one of them changed: every emit interval for open windows (and late
 * updates), and once, final, when the watermark passes its end.
 *
 * @param <P> a pane update as the upstream window emits it
 * @param <S> what is stored per pane
 */
public abstract class SlidingFromPanes<P, S, R> extends KeyedProcessFunction<Integer, P, R> {
    protected final long sizeMs;
    protected final long slideMs;
    private final long allowedLatenessMs;
    private final long emitIntervalMs;
    private final TypeInformation<S> paneType;
    private transient MapState<Long, S> panes;
    private transient MapState<Long, Boolean> changedWindows;
    private transient ValueState<Long> nextTick;

    protected SlidingFromPanes(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs,
                               TypeInformation<S> paneType) {
        if (sizeMs % slideMs != 0) {
            throw new IllegalArgumentException("window size must be a multiple of the slide");
        }
        this.sizeMs = sizeMs;
        this.slideMs = slideMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.emitIntervalMs = emitIntervalMs;
        this.paneType = paneType;
    }

    protected abstract long paneStart(P update);

    /** Folds an update into the stored pane ({@code stored} null when the pane is new); returns what to store. */
    protected abstract S store(S stored, P update);

    /** Emits the rows of window [start, end) from its panes (at least one). */
    protected abstract void emit(long start, long end, List<S> panes, boolean isFinal, Collector<R> out);

    @Override
    public void open(OpenContext openContext) {
        panes = getRuntimeContext().getMapState(new MapStateDescriptor<>("panes", Types.LONG, paneType));
        changedWindows = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-windows", Types.LONG, Types.BOOLEAN));
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
    }

    @Override
    public void processElement(P update, Context ctx, Collector<R> out) throws Exception {
        long paneStart = paneStart(update);
        panes.put(paneStart, store(panes.get(paneStart), update));
        long watermark = ctx.timerService().currentWatermark();
        for (long end = paneStart + slideMs; end <= paneStart + sizeMs; end += slideMs) {
            changedWindows.put(end, Boolean.TRUE);
            if (end - 1 > watermark) {
                ctx.timerService().registerEventTimeTimer(end - 1);
            }
        }
        ctx.timerService().registerEventTimeTimer(paneStart + sizeMs + allowedLatenessMs - 1);
        Ticks.scheduleOnce(nextTick, ctx.timerService(), emitIntervalMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<R> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        List<Long> due = new ArrayList<>();
        for (Long end : changedWindows.keys()) {
            if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME || end - 1 <= timestamp) {
                due.add(end);
            }
        }
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            nextTick.clear();
        }
        boolean eventTime = ctx.timeDomain() == TimeDomain.EVENT_TIME;
        long endingNow = timestamp + 1;
        if (eventTime && Math.floorMod(endingNow, slideMs) == 0 && !due.contains(endingNow)) {
            due.add(endingNow); // the window's end: its final row, even if an early tick already wrote this value
        }
        for (Long end : due) {
            changedWindows.remove(end);
            emitWindow(end, end - 1 <= watermark, out);
        }
        if (eventTime) {
            List<Long> expired = new ArrayList<>();
            for (Long start : panes.keys()) {
                if (start + sizeMs + allowedLatenessMs - 1 <= timestamp) {
                    expired.add(start);
                }
            }
            for (Long start : expired) {
                panes.remove(start);
            }
            if (panes.isEmpty() && changedWindows.isEmpty() && nextTick.value() != null) {
                ctx.timerService().deleteProcessingTimeTimer(nextTick.value());
                nextTick.clear();
            }
        }
    }

    private void emitWindow(long end, boolean isFinal, Collector<R> out) throws Exception {
        List<S> inWindow = new ArrayList<>();
        for (long start = end - sizeMs; start < end; start += slideMs) {
            S pane = panes.get(start);
            if (pane != null) {
                inWindow.add(pane);
            }
        }
        if (!inWindow.isEmpty()) {
            emit(end - sizeMs, end, inWindow, isFinal, out);
        }
    }
}
