package dev.pulse.retention;

import dev.pulse.window.Rates;
import dev.pulse.window.SummedRows;

/**
 * Keyed by cohort day: sums the users' deltas. Final once the watermark passes the end of day cohort + 30 (the last
 * day the row counts); dropped when that day's allowed lateness is over: by then no event can join, leave or
 * retain a user of this cohort (a move to an earlier cohort needs an event of the day before, long past its
 * lateness).
 */
public class RetentionRows extends SummedRows<Long, CohortDelta, RetentionRow> {
    private final long allowedLatenessMs;

    public RetentionRows(long allowedLatenessMs, long emitIntervalMs) {
        super(4, emitIntervalMs);
        this.allowedLatenessMs = allowedLatenessMs;
    }

    private static long end(long cohortDay) {
        return cohortDay + UserCohort.DAYS * UserCohort.DAY;
    }

    @Override
    protected void add(CohortDelta d, long[] sums) {
        sums[0] += d.size;
        sums[1] += d.d1;
        sums[2] += d.d7;
        sums[3] += d.d30;
    }

    @Override
    protected long finalAt(Long cohortDay) {
        return end(cohortDay) - 1;
    }

    @Override
    protected long purgeAt(Long cohortDay) {
        return end(cohortDay) - 1 + allowedLatenessMs;
    }

    @Override
    protected RetentionRow row(Long cohortDay, long[] sums, boolean isFinal) {
        RetentionRow r = new RetentionRow();
        r.windowStart = cohortDay;
        r.windowEnd = end(cohortDay);
        r.cohortSize = sums[0];
        r.retainedD1 = sums[1];
        r.retainedD7 = sums[2];
        r.retainedD30 = sums[3];
        r.rateD1 = Rates.ratio(sums[1], sums[0]);
        r.rateD7 = Rates.ratio(sums[2], sums[0]);
        r.rateD30 = Rates.ratio(sums[3], sums[0]);
        r.isFinal = isFinal;
        return r;
    }
}
