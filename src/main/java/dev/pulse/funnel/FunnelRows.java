package dev.pulse.funnel;

import dev.pulse.active.ActiveDelta;
import dev.pulse.active.ActiveUsers;
import dev.pulse.window.Rates;
import dev.pulse.window.SummedRows;

import org.apache.flink.api.java.tuple.Tuple2;

/**
 * Keyed by (grain, window start): sums the first-user deltas of the four step types into viewers, carters,
 * checkouts and purchasers. Final once the watermark passes the window's end; dropped when its allowed lateness is
 * over, as the per-user marks are, so no delta comes after.
 */
public class FunnelRows extends SummedRows<Tuple2<Integer, Long>, ActiveDelta, FunnelMetricRow> {
    private final long allowedLatenessMs;

    public FunnelRows(long allowedLatenessMs, long emitIntervalMs) {
        super(FunnelSteps.TYPES.size(), emitIntervalMs);
        this.allowedLatenessMs = allowedLatenessMs;
    }

    private static long end(Tuple2<Integer, Long> key) {
        return key.f1 + ActiveUsers.GRAINS.get(key.f0).size().toMillis();
    }

    @Override
    protected void add(ActiveDelta d, long[] sums) {
        sums[FunnelSteps.TYPES.indexOf(d.eventType)] += d.users;
    }

    @Override
    protected long finalAt(Tuple2<Integer, Long> key) {
        return end(key) - 1;
    }

    @Override
    protected long purgeAt(Tuple2<Integer, Long> key) {
        return end(key) - 1 + allowedLatenessMs;
    }

    @Override
    protected FunnelMetricRow row(Tuple2<Integer, Long> key, long[] sums, boolean isFinal) {
        FunnelMetricRow r = new FunnelMetricRow();
        r.grain = ActiveUsers.GRAINS.get(key.f0).label();
        r.windowStart = key.f1;
        r.windowEnd = end(key);
        r.viewers = sums[0];
        r.carters = sums[1];
        r.checkouts = sums[2];
        r.purchasers = sums[3];
        r.conversionRate = Rates.ratio(sums[3], sums[0]);
        r.isFinal = isFinal;
        return r;
    }
}
