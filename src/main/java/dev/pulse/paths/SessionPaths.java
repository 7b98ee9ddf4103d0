package dev.pulse.paths;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: a session splits wherever two consecutive events are more than the gap apart, so two consecutive
 * events (by event time, event id) form a transition exactly when they are at most the gap apart. That makes every
 * change local: an event x landing between p and s takes back p→s (if it was one) and adds p→x and x→s (each if
 * within the gap). Late events, splits and merges of sessions need nothing else. Only events that a future accepted
 * event can still border are kept: an event passes the late filter only if it is less than {@code horizonMs}
 * (allowed lateness + the finest window) behind the watermark, so a future event comes after W - horizon; its
 * predecessor is an event after that or the latest one before it, which matters only within the gap. So a user
 * holds the events of the last ~2 minutes of event time and one more.
 */
public class SessionPaths extends KeyedProcessFunction<Long, BehaviorEvent, TransitionDelta> {
    private static final long HOUR = 3_600_000L;
    private static final long MINUTE = 60_000L;

    private final long gapMs;
    private final long horizonMs;
    private transient ValueState<RecentEvents> recent;

    public SessionPaths(long gapMs, long horizonMs) {
        this.gapMs = gapMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        recent = getRuntimeContext().getState(
                new ValueStateDescriptor<>("recent-events", TypeInformation.of(RecentEvents.class)));
    }

    @Override
    public void processElement(BehaviorEvent e, Context ctx, Collector<TransitionDelta> out) throws Exception {
        RecentEvents r = recent.value();
        if (r == null) {
            r = new RecentEvents();
        }
        int at = r.find(e.eventTime, e.eventId);
        if (at < 0) {
            return; // this very event is already in place (a re-delivery the de-duplication no longer knew)
        }
        byte type = (byte) BehaviorEvent.EVENT_TYPES.indexOf(e.eventType);
        int p = at - 1;
        boolean hasP = p >= 0;
        boolean hasS = at < r.size;
        if (hasP && hasS && r.times[at] - r.times[p] <= gapMs) {
            out.collect(transition(r.times[p], r.types[p], r.times[at], r.types[at], -1));
        }
        if (hasP && e.eventTime - r.times[p] <= gapMs) {
            out.collect(transition(r.times[p], r.types[p], e.eventTime, type, 1));
        }
        if (hasS && r.times[at] - e.eventTime <= gapMs) {
            out.collect(transition(e.eventTime, type, r.times[at], r.types[at], 1));
        }
        r.insert(at, e.eventTime, e.eventId, type);
        recent.update(r);
        schedule(ctx.timerService(), e.eventTime + horizonMs + 1);
    }

    /** A clean-up at or after {@code watermark}, coalesced to the minute: one timer per user and minute. */
    private static void schedule(TimerService timers, long watermark) {
        timers.registerEventTimeTimer(watermark - Math.floorMod(watermark, MINUTE) + MINUTE);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<TransitionDelta> out) throws Exception {
        RecentEvents r = recent.value();
        if (r == null) {
            return;
        }
        r.forget(ctx.timerService().currentWatermark() - horizonMs, gapMs);
        if (r.size == 0) {
            recent.clear();
        } else {
            recent.update(r);
            if (r.size == 1) {
                schedule(ctx.timerService(), r.times[0] + gapMs + horizonMs + 1); // the last one leaves after the gap
            }
        }
    }

    private static TransitionDelta transition(long fromTime, byte from, long toTime, byte to, int sign) {
        return new TransitionDelta(fromTime - Math.floorMod(fromTime, HOUR), BehaviorEvent.EVENT_TYPES.get(from),
                BehaviorEvent.EVENT_TYPES.get(to), sign, sign * (toTime - fromTime));
    }
}
