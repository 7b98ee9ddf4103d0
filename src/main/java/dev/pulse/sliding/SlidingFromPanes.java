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
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;

/**
 * Sliding windows (size, slide) built from panes: tumbling slices as long as the slide, pre-aggregated upstream by
 * an ordinary window operator with early firing and allowed lateness. Each event is aggregated once per pane
 * instead of once per overlapping window (12 times for 1 h every 5 min), and distinct counts stay exact because
 * a pane carries its distinct members. Here the panes are kept until no window can change any more, and a window
 * is recomputed from its panes only when one of them changed: every emit interval for open windows (and late
 * updates), and once, final, when the watermark passes its end. A timer reads each pane it needs once, for all the
 * windows due. Panes are kept as one value each, or as entries ({@link PaneEntries}) when an update is one member's.
 *
 * @param <P> a pane update as the upstream window emits it
 * @param <S> a pane as windows are computed from it: what is stored per pane, or what its entries fold into
 */
public abstract class SlidingFromPanes<P, S, R> extends KeyedProcessFunction<Integer, P, R> {
    protected final long sizeMs;
    protected final long slideMs;
    private final long allowedLatenessMs;
    private final long emitIntervalMs;
    private final PaneStore<P, S> panes;
    private transient MapState<Long, Boolean> changedWindows;
    private transient ValueState<Long> nextTick;

    /** Panes as one value each ({@link WholePanes}). */
    protected SlidingFromPanes(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs,
                               TypeInformation<S> paneType) {
        this(sizeMs, slideMs, allowedLatenessMs, emitIntervalMs, new WholePanes<>(paneType));
    }

    /** Panes kept as {@code panes} says, e.g. as entries ({@link PaneEntries}). */
    SlidingFromPanes(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs, PaneStore<P, S> panes) {
        if (sizeMs % slideMs != 0) {
            throw new IllegalArgumentException("window size must be a multiple of the slide");
        }
        this.sizeMs = sizeMs;
        this.slideMs = slideMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.emitIntervalMs = emitIntervalMs;
        this.panes = panes;
    }

    protected abstract long paneStart(P update);

    /**
     * Folds an update into a pane ({@code stored} null when the pane is new) and returns the pane: on each update for
     * panes kept whole, on each read for panes kept as entries (then once per entry, in no particular order).
     */
    protected abstract S store(S stored, P update);

    /** Emits the rows of window [start, end) from its panes (at least one, by start). */
    protected abstract void emit(long start, long end, List<S> panes, boolean isFinal, Collector<R> out);

    @Override
    public void open(OpenContext openContext) {
        panes.open(getRuntimeContext());
        changedWindows = getRuntimeContext().getMapState(new MapStateDescriptor<>("changed-windows", Types.LONG, Types.BOOLEAN));
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
    }

    @Override
    public void processElement(P update, Context ctx, Collector<R> out) throws Exception {
        long paneStart = paneStart(update);
        panes.keep(paneStart, update, this::store);
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
        if (!due.isEmpty() || eventTime) {
            // After an event-time firing, the panes past their last window's lateness go:
            // start + size + lateness - 1 <= timestamp.
            emitAndDrop(due, watermark, eventTime ? timestamp - sizeMs - allowedLatenessMs + 1 : PaneStore.NONE_EXPIRED,
                    out);
        }
        if (eventTime && panes.isEmpty() && changedWindows.isEmpty() && nextTick.value() != null) {
            ctx.timerService().deleteProcessingTimeTimer(nextTick.value());
            nextTick.clear();
        }
    }

    /** Emits the windows ending at {@code due} from one read of the panes they hold, which also drops expired panes. */
    private void emitAndDrop(List<Long> due, long watermark, long lastExpired, Collector<R> out) throws Exception {
        Set<Long> starts = new HashSet<>();
        for (Long end : due) {
            for (long start = end - sizeMs; start < end; start += slideMs) {
                starts.add(start);
            }
        }
        NavigableMap<Long, S> read = panes.readAndDrop(starts, lastExpired, this::store);
        for (Long end : due) {
            changedWindows.remove(end);
            Collection<S> inWindow = read.subMap(end - sizeMs, end).values();
            if (!inWindow.isEmpty()) {
                emit(end - sizeMs, end, new ArrayList<>(inWindow), end - 1 <= watermark, out);
            }
        }
    }
}
