package dev.pulse.funnel;

/** Distinct users per funnel step of one window. */
public class FunnelTotals {
    public long viewers;
    public long carters;
    public long checkouts;
    public long purchasers;

    public FunnelTotals() {}
}
