package dev.pulse.sessions;

import java.util.ArrayList;
import java.util.List;

/**
 * One session's running state, small whatever its length. For the ordered funnel it keeps the earliest view and,
 * for each later step, the earliest time at or after the step before it ({@link #NONE} when not reached). Times of
 * a step that came before the step it follows are kept aside: they matter only if an earlier event arrives late
 * or a merge brings one; they are rare (a cart before any view), so the state stays a handful of numbers.
 */
public class SessionAccumulator {
    public static final long NONE = Long.MAX_VALUE;

    public long firstTime = NONE;
    public String firstEventId;
    public String firstDevice;
    public long lastTime = Long.MIN_VALUE;
    public long events;

    public long view = NONE;
    public long cart = NONE;
    public long checkout = NONE;
    public long purchase = NONE;
    public List<Long> cartsBefore = new ArrayList<>();
    public List<Long> checkoutsBefore = new ArrayList<>();
    public List<Long> purchasesBefore = new ArrayList<>();

    public SessionAccumulator() {}

    /** Re-derives the funnel steps from the earliest view and the kept times. */
    void settle() {
        cart = settleStep(view, cart, cartsBefore);
        checkout = settleStep(cart, checkout, checkoutsBefore);
        purchase = settleStep(checkout, purchase, purchasesBefore);
    }

    /** The earliest candidate at or after {@code previous}; candidates before it stay in {@code before}. */
    private static long settleStep(long previous, long best, List<Long> before) {
        if (before.isEmpty()) { // the common case, without a copy
            if (best == NONE || (previous != NONE && best >= previous)) {
                return best;
            }
            before.add(best);
            return NONE;
        }
        List<Long> candidates = new ArrayList<>(before);
        if (best != NONE) {
            candidates.add(best);
        }
        before.clear();
        long result = NONE;
        for (long t : candidates) {
            if (previous != NONE && t >= previous) {
                result = Math.min(result, t);
            } else if (!before.contains(t)) {
                before.add(t);
            }
        }
        return result;
    }
}
