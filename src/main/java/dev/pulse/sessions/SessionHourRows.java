package dev.pulse.sessions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import dev.pulse.window.Ticks;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Keyed by (hour, device): sums the signed session deltas and upserts the row every emit interval while it changes.
 * The row is final once the hour is over (plus allowed lateness) and none of its sessions is open. A session can
 * keep growing after its last report (a fast replay runs ahead of the emit interval), so the state is not dropped
 * on a guess: it is kept for {@link #RETENTION} of event time after the row's sessions last closed.
 */
public class SessionHourRows extends KeyedProcessFunction<Tuple2<Long, String>, SessionDelta, SessionFunnelRow> {
    private static final long HOUR = 3_600_000L;
    /** How long a final row's sums are kept in case a merge still takes a session back. */
    public static final long RETENTION = 86_400_000L;

    private final long gapMs;
    private final long allowedLatenessMs;
    private final long emitIntervalMs;
    private transient ValueState<SessionHourTotals> totals;
    private transient ValueState<Long> nextTick;

    public SessionHourRows(long gapMs, long allowedLatenessMs, long emitIntervalMs) {
        this.gapMs = gapMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.emitIntervalMs = emitIntervalMs;
    }

    @Override
    public void open(OpenContext openContext) {
        totals = getRuntimeContext().getState(new ValueStateDescriptor<>("totals", TypeInformation.of(SessionHourTotals.class)));
        nextTick = getRuntimeContext().getState(new ValueStateDescriptor<>("next-tick", Types.LONG));
    }

    @Override
    public void processElement(SessionDelta d, Context ctx, Collector<SessionFunnelRow> out) throws Exception {
        SessionHourTotals t = totals.value();
        if (t == null) {
            t = new SessionHourTotals();
        }
        t.sessions += d.sign;
        t.bounced += d.bounced;
        t.reachedView += d.reachedView;
        t.reachedCart += d.reachedCart;
        t.reachedCheckout += d.reachedCheckout;
        t.reachedPurchase += d.reachedPurchase;
        t.durationMs += d.durationMs;
        t.events += d.events;
        t.openSessions += d.open;
        t.changed = true;
        long closesAt = Math.max(d.hourStart + HOUR, d.sessionLast + gapMs) + allowedLatenessMs;
        if (closesAt > t.closesAt) {
            t.closesAt = closesAt;
            ctx.timerService().registerEventTimeTimer(closesAt);
            ctx.timerService().registerEventTimeTimer(closesAt + RETENTION);
        }
        long watermark = ctx.timerService().currentWatermark();
        if (watermark >= t.closesAt) {
            // Past the row's close point: write this change at the next watermark, not only at the next tick.
            ctx.timerService().registerEventTimeTimer(watermark + 1);
        }
        totals.update(t);
        Ticks.scheduleOnce(nextTick, ctx.timerService(), emitIntervalMs);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionFunnelRow> out) throws Exception {
        SessionHourTotals t = totals.value();
        if (t == null) {
            return;
        }
        long watermark = ctx.timerService().currentWatermark();
        boolean isFinal = t.openSessions == 0 && watermark >= ctx.getCurrentKey().f0 + HOUR + allowedLatenessMs;
        if (ctx.timeDomain() == TimeDomain.PROCESSING_TIME) {
            nextTick.clear();
            if (t.changed) {
                t.changed = false;
                totals.update(t);
                out.collect(row(ctx.getCurrentKey(), t, isFinal));
            }
        } else if (timestamp >= t.closesAt + RETENTION) {
            if (nextTick.value() != null) {
                ctx.timerService().deleteProcessingTimeTimer(nextTick.value());
            }
            nextTick.clear();
            totals.clear();
        } else if (timestamp == t.closesAt || (timestamp > t.closesAt && t.changed)) {
            t.changed = false;
            totals.update(t);
            out.collect(row(ctx.getCurrentKey(), t, isFinal));
        }
    }

    private static SessionFunnelRow row(Tuple2<Long, String> key, SessionHourTotals t, boolean isFinal) {
        SessionFunnelRow r = new SessionFunnelRow();
        r.windowStart = key.f0;
        r.windowEnd = key.f0 + HOUR;
        r.deviceType = key.f1;
        r.sessions = t.sessions;
        r.bouncedSessions = t.bounced;
        r.reachedView = t.reachedView;
        r.reachedCart = t.reachedCart;
        r.reachedCheckout = t.reachedCheckout;
        r.reachedPurchase = t.reachedPurchase;
        if (t.sessions > 0) {
            r.avgDurationS = BigDecimal.valueOf(t.durationMs).divide(BigDecimal.valueOf(t.sessions * 1000L), 2, RoundingMode.HALF_UP);
            r.avgEvents = BigDecimal.valueOf(t.events).divide(BigDecimal.valueOf(t.sessions), 2, RoundingMode.HALF_UP);
        }
        r.isFinal = isFinal;
        return r;
    }
}
