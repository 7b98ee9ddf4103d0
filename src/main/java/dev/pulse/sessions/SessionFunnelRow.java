package dev.pulse.sessions;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code session_funnel}; primary key (window_start, device_type). */
public class SessionFunnelRow extends WindowRow {
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

    public SessionFunnelRow() {}
}
