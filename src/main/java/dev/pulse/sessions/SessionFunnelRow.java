package dev.pulse.sessions;

import java.math.BigDecimal;

/** One row of {@code session_funnel}; primary key (window_start, device_type). */
public class SessionFunnelRow {
    public long windowStart;
    public long windowEnd;
    public String deviceType;
    public long sessions;
    public long bouncedSessions;
    public long reachedView;
    public long reachedCart;
    public long reachedCheckout;
    public long reachedPurchase;
    /** Null when sessions = 0 (every session once counted here moved to another hour or device). */
    public BigDecimal avgDurationS;
    public BigDecimal avgEvents;
    public boolean isFinal;

    public SessionFunnelRow() {}
}
