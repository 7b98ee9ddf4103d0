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
    /** Sessions counted here whose window was still open when last reported. */
    public long openSessions;
    /** Latest event time at which a counted session's window closes (+ lateness), when the row may become final. */
    public long closesAt = Long.MIN_VALUE;
    public boolean changed;

    public SessionHourTotals() {}
}
