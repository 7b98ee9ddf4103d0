package dev.pulse.active;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.Iterator;
import java.util.Map;

/**
 * Keyed by user: remembers, per open window of each grain, which event types the user already did (one bit each,
 * one more for "any"), and turns every event into deltas: +1 event to its type's row and to {@code *}, +1 user where
 * the bit was not yet set. Distinct counts so become sums downstream: exact, spread over users, and no window holds
 * a set of users. A window's entry is dropped once its allowed lateness is over (no event of it can pass the late
 * filter any more), so a user costs one map entry per open window it was active in.
 */
public class ActiveUserMarks extends KeyedProcessFunction<Long, BehaviorEvent, ActiveDelta> {
    /** Bit i is event type i of {@link BehaviorEvent#EVENT_TYPES}; the next bit is "any". */
    private static final int ANY = 1 << BehaviorEvent.EVENT_TYPES.size();

    private final long allowedLatenessMs;
    /** (window start * grains + grain) → bits of the types seen. */
    private transient MapState<Long, Integer> seen;

    public ActiveUserMarks(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    @Override
    public void open(OpenContext openContext) {
        seen = getRuntimeContext().getMapState(new MapStateDescriptor<>("seen", Types.LONG, Types.INT));
    }

    /** Once the watermark reaches this, no event of the window can pass the late filter: its marks can go. */
    static long purgeAt(long windowEnd, long allowedLatenessMs) {
        return windowEnd - 1 + allowedLatenessMs;
    }

    @Override
    public void processElement(BehaviorEvent e, Context ctx, Collector<ActiveDelta> out) throws Exception {
        int bit = 1 << BehaviorEvent.EVENT_TYPES.indexOf(e.eventType);
        for (int g = 0; g < ActiveUsers.GRAINS.size(); g++) {
            long size = ActiveUsers.GRAINS.get(g).size().toMillis();
            long start = e.eventTime - Math.floorMod(e.eventTime, size);
            long entry = start * ActiveUsers.GRAINS.size() + g;
            Integer before = seen.get(entry);
            int bits = before == null ? 0 : before;
            out.collect(new ActiveDelta(g, start, e.eventType, (bits & bit) == 0 ? 1 : 0));
            out.collect(new ActiveDelta(g, start, ActiveUsers.ANY_TYPE, (bits & ANY) == 0 ? 1 : 0));
            if (before == null) {
                ctx.timerService().registerEventTimeTimer(purgeAt(start + size, allowedLatenessMs));
            }
            if ((bits | bit | ANY) != bits) {
                seen.put(entry, bits | bit | ANY);
            }
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<ActiveDelta> out) throws Exception {
        Iterator<Map.Entry<Long, Integer>> entries = seen.iterator();
        while (entries.hasNext()) {
            long entry = entries.next().getKey();
            int g = (int) Math.floorMod(entry, (long) ActiveUsers.GRAINS.size());
            long start = Math.floorDiv(entry, (long) ActiveUsers.GRAINS.size());
            if (purgeAt(start + ActiveUsers.GRAINS.get(g).size().toMillis(), allowedLatenessMs) <= timestamp) {
                entries.remove();
            }
        }
        if (seen.isEmpty()) {
            seen.clear();
        }
    }
}
