package dev.pulse.sessions;

/** Running sums of one (hour, device) row. */
public class SessionHourTotals {
    public long sessions;
    public long bounced;
    public long reachedView;
    public long reachedCart;
    public long reachedCheckout;
    public long reachedPurchase;
    public long durationMs;
    public long events;
    /** Event time after which no change can reach this row any more. */
    public long closesAt = Long.MIN_VALUE;
    public boolean changed;

    public SessionHourTotals() {}
}
