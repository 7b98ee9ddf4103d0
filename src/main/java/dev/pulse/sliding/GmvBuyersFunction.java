package dev.pulse.sliding;

import dev.pulse.events.OrderEvent;
import dev.pulse.window.MarksFunction;
import dev.pulse.window.WindowMarks;
import dev.pulse.window.Windows;

import org.apache.flink.util.Collector;

/**
 * Keyed by buyer: each paid order as a partial GMV pane of its minute, with +1 buyer for every sliding window (of
 * every family) the buyer is new to. The buyer's marks are the family panes it bought in, kept while a window holding
 * them can still change; a window is new to the buyer when none of its panes is marked, whatever order the buyer's
 * orders arrive in.
 */
public class GmvBuyersFunction extends MarksFunction<OrderEvent, GmvPane> {
    private static final int FAMILIES = SlidingMetrics.SLIDING.size();
    private static final long[] SIZES = SlidingMetrics.SLIDING.stream().mapToLong(w -> w.size().toMillis()).toArray();
    private static final long[] SLIDES = SlidingMetrics.SLIDING.stream().mapToLong(w -> w.slide().toMillis()).toArray();
    private static final int SLOTS = SlidingMetrics.buyersOffset(FAMILIES);

    public GmvBuyersFunction(long allowedLatenessMs) {
        super(allowedLatenessMs);
    }

    @Override
    protected boolean mark(OrderEvent e, WindowMarks buyer, Collector<GmvPane> out) {
        if (!OrderEvent.PAID.equals(e.status)) {
            return false;
        }
        GmvPane p = new GmvPane();
        p.paneStart = Windows.finestStart(e.eventTime);
        p.orders = 1;
        p.gmv = e.amount;
        p.newBuyers = new long[SLOTS];
        boolean marked = false;
        for (int f = 0; f < FAMILIES; f++) {
            long pane = e.eventTime - Math.floorMod(e.eventTime, SLIDES[f]);
            int offset = SlidingMetrics.buyersOffset(f);
            for (int k = 0; k < SIZES[f] / SLIDES[f]; k++) {
                long end = pane + (k + 1) * SLIDES[f];
                if (!boughtIn(buyer, f, end - SIZES[f], end)) {
                    p.newBuyers[offset + k] = 1;
                }
            }
            marked |= buyer.add(WindowMarks.entry(pane, f, FAMILIES), null, null);
        }
        out.collect(p);
        return marked;
    }

    /** Whether the buyer has a marked pane of family {@code f} within [from, to). */
    private static boolean boughtIn(WindowMarks buyer, int f, long from, long to) {
        for (long entry : buyer.entries) {
            long start = WindowMarks.windowStart(entry, FAMILIES);
            if (WindowMarks.grain(entry, FAMILIES) == f && start >= from && start < to) {
                return true;
            }
        }
        return false;
    }

    /** A pane's mark goes once the last window holding it takes no more events. */
    @Override
    protected long purgeAt(long entry) {
        return WindowMarks.windowStart(entry, FAMILIES) + SIZES[WindowMarks.grain(entry, FAMILIES)] - 1
                + allowedLatenessMs;
    }
}
