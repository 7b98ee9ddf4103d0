package dev.pulse.funnel;

import java.util.HashSet;
import java.util.Set;

/** Distinct users per funnel step within one window. Exact, so memory grows with distinct users per window. */
public class FunnelAccumulator {
    public Set<Long> viewers = new HashSet<>();
    public Set<Long> carters = new HashSet<>();
    public Set<Long> checkouts = new HashSet<>();
    public Set<Long> purchasers = new HashSet<>();

    public FunnelAccumulator() {}
}
