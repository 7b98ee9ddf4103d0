package dev.pulse.paths;

import dev.pulse.window.SummedRows;

import org.apache.flink.api.java.tuple.Tuple3;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Keyed by (hour, from, to): sums transitions and their gaps. A transition of hour H starts at an event in H and
 * ends at most a gap later; an event can change it only while it passes the late filter, so the row is final,
 * and dropped, once the watermark passes H's end + gap + the late filter's horizon.
 */
public class TransitionRows extends SummedRows<Tuple3<Long, String, String>, TransitionDelta, PathTransitionRow> {
    private static final long HOUR = 3_600_000L;

    private final long gapMs;
    private final long horizonMs;

    public TransitionRows(long gapMs, long horizonMs, long emitIntervalMs) {
        super(2, emitIntervalMs);
        this.gapMs = gapMs;
        this.horizonMs = horizonMs;
    }

    @Override
    protected void add(TransitionDelta d, long[] sums) {
        sums[0] += d.count;
        sums[1] += d.gapMs;
    }

    @Override
    protected long finalAt(Tuple3<Long, String, String> key) {
        return key.f0 + HOUR + gapMs + horizonMs;
    }

    @Override
    protected long purgeAt(Tuple3<Long, String, String> key) {
        return finalAt(key);
    }

    @Override
    protected PathTransitionRow row(Tuple3<Long, String, String> key, long[] sums, boolean isFinal) {
        PathTransitionRow r = new PathTransitionRow();
        r.windowStart = key.f0;
        r.windowEnd = key.f0 + HOUR;
        r.fromEvent = key.f1;
        r.toEvent = key.f2;
        r.transitions = sums[0];
        r.avgGapS = sums[0] == 0 ? null
                : BigDecimal.valueOf(sums[1]).divide(BigDecimal.valueOf(sums[0] * 1000L), 2, RoundingMode.HALF_UP);
        r.isFinal = isFinal;
        return r;
    }
}
