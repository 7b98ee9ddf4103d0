package dev.pulse.retention;

import dev.pulse.window.RowDelta;

/** A signed change to one cohort's row: a user joining (+1) or leaving (-1) it, or becoming retained on day K. */
public class CohortDelta implements RowDelta<CohortDelta> {
    /** Epoch ms of the cohort's UTC day. */
    public long cohortDay;
    public int size;
    public int d1;
    public int d7;
    public int d30;

    public CohortDelta() {}

    CohortDelta(long cohortDay, int size, int d1, int d7, int d30) {
        this.cohortDay = cohortDay;
        this.size = size;
        this.d1 = d1;
        this.d7 = d7;
        this.d30 = d30;
    }

    @Override
    public Object rowKey() {
        return cohortDay;
    }

    @Override
    public void absorb(CohortDelta other) {
        size += other.size;
        d1 += other.d1;
        d7 += other.d7;
        d30 += other.d30;
    }
}
