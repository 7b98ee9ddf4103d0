package dev.pulse.sessions;

/** What a session contributes to its hour's row. {@code start} is its first event's time. */
public class SessionSummary {
    public long start;
    public long last;
    public String device;
    public long events;
    public boolean reachedView;
    public boolean reachedCart;
    public boolean reachedCheckout;
    public boolean reachedPurchase;
    /** Whether the session's window was still open (before its end) when this version was reported. */
    public boolean open;

    public SessionSummary() {}
}
