package dev.pulse.active;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: remembers, per open window of each grain, which event types the user already did (one bit each,
 * one more for "any"), and turns every event into deltas: +1 event to its type's row and to {@code *}, +1 user where
 * the bit was not yet set. Distinct counts so become sums downstream: exact, spread over users, and no window holds
 * a set of users. A window's entry is dropped once its allowed lateness is over (no event of it can pass the late
 * filter any more). All of a user's entries are one value ({@link UserMarks}) with one pending timer, at the earliest
 * point one of them can go.
 */
public class ActiveUserMarks extends KeyedProcessFunction<Long, BehaviorEvent, ActiveDelta> {
    /** Bit i is event type i of {@link BehaviorEvent#EVENT_TYPES}; the next bit is "any". */
    private static final int ANY = 1 << BehaviorEvent.EVENT_TYPES.size();
    private static final int GRAINS = ActiveUsers.GRAINS.size();
    private static final long[] SIZES = ActiveUsers.GRAINS.stream().mapToLong(g -> g.size().toMillis()).toArray();

    private final long allowedLatenessMs;
    private transient ValueState<UserMarks> marks;

    public ActiveUserMarks(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void open(OpenContext openContext) {
        marks = getRuntimeContext().getState(new ValueStateDescriptor<>("marks", TypeInformation.of(UserMarks.class)));
    }

    /** Once the watermark reaches this, no event of the window can pass the late filter: its marks can go. */
    static long purgeAt(long windowEnd, long allowedLatenessMs) {
        return windowEnd - 1 + allowedLatenessMs;
    }

    private long purgeAt(long entry) {
        int g = (int) Math.floorMod(entry, (long) GRAINS);
        return purgeAt(Math.floorDiv(entry, (long) GRAINS) + SIZES[g], allowedLatenessMs);
    }

    @Override
    public void processElement(BehaviorEvent e, Context ctx, Collector<ActiveDelta> out) throws Exception {
        UserMarks user = marks.value();
        if (user == null) {
            user = new UserMarks();
        }
        int bit = 1 << BehaviorEvent.EVENT_TYPES.indexOf(e.eventType);
        boolean changed = false;
        for (int g = 0; g < GRAINS; g++) {
            long start = e.eventTime - Math.floorMod(e.eventTime, SIZES[g]);
            long entry = start * GRAINS + g;
            int i = user.indexOf(entry);
            int bits = i < 0 ? 0 : user.bits[i];
            out.collect(new ActiveDelta(g, start, e.eventType, (bits & bit) == 0 ? 1 : 0));
            out.collect(new ActiveDelta(g, start, ActiveUsers.ANY_TYPE, (bits & ANY) == 0 ? 1 : 0));
            int now = bits | bit | ANY;
            if (i < 0) {
                user.add(entry, now);
                changed = true;
            } else if (now != bits) {
                user.bits[i] = now;
                changed = true;
            }
        }
        if (changed) {
            schedule(user, ctx.timerService());
            marks.update(user);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActiveDelta> out) throws Exception {
        UserMarks user = marks.value();
        if (user == null) {
            return;
        }
        if (timestamp == user.timerAt) {
            user.timerAt = Long.MAX_VALUE;
        }
        user.retain(entry -> purgeAt(entry) > timestamp);
        if (user.entries.length == 0) {
            marks.clear(); // a timer still pending finds no state and does nothing
            return;
        }
        schedule(user, ctx.timerService());
        marks.update(user);
    }

    /** One timer per user, at the earliest instant one of its entries can go. */
    private void schedule(UserMarks user, TimerService timers) {
        long due = Long.MAX_VALUE;
        for (long entry : user.entries) {
            due = Math.min(due, purgeAt(entry));
        }
        if (due < user.timerAt) {
            timers.registerEventTimeTimer(due);
            user.timerAt = due;
        }
    }
}
