package dev.pulse.retention;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: the user's cohort (the UTC day of their earliest counted event) and the days they were active in
 * its first {@link #DAYS} days, as one {@code long}: the epoch day shifted left by 32, the active-day bits below
 * (bit K = day cohort + K). Every change becomes a signed delta to the cohort's row: joining (size +1), being
 * retained on day 1, 7 or 30 (+1), and, when a late event moves the user to an earlier cohort, leaving the old
 * cohort (all its counts -1) and joining the new one with the days re-based. 8 bytes of state per user ever seen,
 * kept for good: a user who returns after months must not start a new cohort.
 */
public class UserCohort extends KeyedProcessFunction<Long, BehaviorEvent, CohortDelta> {
    public static final long DAY = 86_400_000L;
    /** Days tracked after the cohort day (day 0 .. 30). */
    static final int DAYS = 31;
    private static final long DAY_BITS = (1L << DAYS) - 1;

    private transient ValueState<Long> cohort;

    @Override
    public void open(OpenContext openContext) {
        cohort = getRuntimeContext().getState(new ValueStateDescriptor<>("cohort-and-days", Types.LONG));
    }

    @Override
    public void processElement(BehaviorEvent e, Context ctx, Collector<CohortDelta> out) throws Exception {
        long day = Math.floorDiv(e.eventTime, DAY);
        Long state = cohort.value();
        if (state == null) {
            cohort.update(pack(day, 1L));
            out.collect(delta(day, 1L, 1));
            return;
        }
        long first = state >> 32;
        long days = state & DAY_BITS;
        if (day < first) {
            long shift = first - day;
            long moved = (shift >= DAYS ? 0L : days << shift) & DAY_BITS | 1L;
            out.collect(delta(first, days, -1));
            out.collect(delta(day, moved, 1));
            cohort.update(pack(day, moved));
        } else if (day - first < DAYS && (days & (1L << (day - first))) == 0) {
            long k = day - first;
            cohort.update(pack(first, days | 1L << k));
            if (k == 1 || k == 7 || k == 30) {
                out.collect(new CohortDelta(first * DAY, 0, k == 1 ? 1 : 0, k == 7 ? 1 : 0, k == 30 ? 1 : 0));
            }
        }
    }

    private static long pack(long epochDay, long days) {
        return epochDay << 32 | days;
    }

    /** The whole contribution of one user with these active days to cohort {@code epochDay}, times {@code sign}. */
    private static CohortDelta delta(long epochDay, long days, int sign) {
        return new CohortDelta(epochDay * DAY, sign, bit(days, 1) * sign, bit(days, 7) * sign, bit(days, 30) * sign);
    }

    private static int bit(long days, int k) {
        return (int) (days >> k & 1L);
    }
}
