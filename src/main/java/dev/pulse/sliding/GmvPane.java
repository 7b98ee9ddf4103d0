package dev.pulse.sliding;

import dev.pulse.window.RowDelta;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Paid orders of one pane (a tumbling slice as long as the slide). Distinct buyers are not a set: each paid order
 * carries +1 for every sliding window its buyer is new to ({@link GmvBuyersFunction}), counted in the pane of that
 * order, so a window's buyers are the sum over its panes. Before the pane windows, the paid orders of one minute of
 * event time are added up in a task ({@code DeltaCombiner}): the single-key pane windows then add one partial pane
 * per batch instead of one per order.
 */
public class GmvPane implements RowDelta<GmvPane> {
    private static final long[] NONE = new long[0];

    public long paneStart;
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    /**
     * Buyers new to the windows this pane is in: for each sliding family f of {@link SlidingMetrics}, at
     * {@code offset(f) + k}, the window ending {@code k + 1} slides after the start of the family's pane that holds
     * this one.
     */
    public long[] newBuyers = NONE;

    public GmvPane() {}

    @Override
    public Object rowKey() {
        return paneStart;
    }

    @Override
    public void absorb(GmvPane other) {
        orders += other.orders;
        gmv = gmv.add(other.gmv);
        if (newBuyers.length < other.newBuyers.length) {
            newBuyers = Arrays.copyOf(newBuyers, other.newBuyers.length);
        }
        for (int i = 0; i < other.newBuyers.length; i++) {
            newBuyers[i] += other.newBuyers[i];
        }
    }

    /** A partial pane's minute: the 1-minute and 5-minute panes hold whole minutes. */
    @Override
    public long timestamp() {
        return paneStart;
    }
}
