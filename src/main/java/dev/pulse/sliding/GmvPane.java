package dev.pulse.sliding;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/** Paid orders of one pane (a tumbling slice as long as the slide), with its buyers so panes combine exactly. */
public class GmvPane {
    public long paneStart;
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public Set<Long> buyers = new HashSet<>();

    public GmvPane() {}
}
