package dev.pulse.sliding;

import dev.pulse.events.OrderEvent;
import dev.pulse.window.RowDelta;
import dev.pulse.window.Windows;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.Set;

/**
 * Paid orders of one pane (a tumbling slice as long as the slide), with its buyers so panes combine exactly. Before
 * the pane windows, the paid orders of one minute of event time added up in a task ({@code DeltaCombiner}): the
 * single-key pane windows then add one partial pane per batch instead of one per order.
 */
public class GmvPane implements RowDelta<GmvPane> {
    public long paneStart;
    public long orders;
    public BigDecimal gmv = BigDecimal.ZERO;
    public Set<Long> buyers = new HashSet<>();

    public GmvPane() {}

    /** One paid order, as a partial pane of the minute it falls in. */
    public static GmvPane of(OrderEvent e) {
        GmvPane p = new GmvPane();
        p.paneStart = Windows.finestStart(e.eventTime);
        p.orders = 1;
        p.gmv = e.amount;
        p.buyers.add(e.userId);
        return p;
    }

    @Override
    public Object rowKey() {
        return paneStart;
    }

    @Override
    public void absorb(GmvPane other) {
        orders += other.orders;
        gmv = gmv.add(other.gmv);
        buyers.addAll(other.buyers);
    }

    /** A partial pane's minute: the 1-minute and 5-minute panes hold whole minutes. */
    @Override
    public long timestamp() {
        return paneStart;
    }
}
