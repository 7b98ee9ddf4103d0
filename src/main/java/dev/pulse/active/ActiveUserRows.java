package dev.pulse.active;

import dev.pulse.window.SummedRows;

import org.apache.flink.api.java.tuple.Tuple3;

/**
 * Keyed by (grain, window start, event type): sums the deltas into users and events. Final once the watermark passes
 * the window's end; dropped when its allowed lateness is over (as the per-user marks are, so no delta comes after).
 */
public class ActiveUserRows extends SummedRows<Tuple3<Integer, Long, String>, ActiveDelta, ActiveUsersRow> {
    private final long allowedLatenessMs;

    public ActiveUserRows(long allowedLatenessMs, long emitIntervalMs) {
        super(2, emitIntervalMs);
        this.allowedLatenessMs = allowedLatenessMs;
    }

    private static long end(Tuple3<Integer, Long, String> key) {
        return key.f1 + ActiveUsers.GRAINS.get(key.f0).size().toMillis();
    }

    @Override
    protected void add(ActiveDelta d, long[] sums) {
        sums[0] += d.users;
        sums[1] += d.events;
    }

    @Override
    protected long finalAt(Tuple3<Integer, Long, String> key) {
        return end(key) - 1;
    }

    @Override
    protected long purgeAt(Tuple3<Integer, Long, String> key) {
        return ActiveUserMarks.purgeAt(end(key), allowedLatenessMs);
    }

    @Override
    protected ActiveUsersRow row(Tuple3<Integer, Long, String> key, long[] sums, boolean isFinal) {
        ActiveUsersRow r = new ActiveUsersRow();
        r.grain = ActiveUsers.GRAINS.get(key.f0).label();
        r.windowStart = key.f1;
        r.windowEnd = end(key);
        r.eventType = key.f2;
        r.users = sums[0];
        r.events = sums[1];
        r.isFinal = isFinal;
        return r;
    }
}
