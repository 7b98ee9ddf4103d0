package dev.pulse.sliding;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.util.List;

/**
 * gmv_sliding from GMV panes: everything adds up, buyers too: a pane holds, per window it is in, the buyers new to
 * that window whose order fell in the pane.
 */
public class GmvSliding extends SlidingFromPanes<GmvPane, GmvPane, GmvSlidingRow> {
    /** Where this family's counts start in {@link GmvPane#newBuyers}. */
    private final int buyersOffset;

    public GmvSliding(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs, int buyersOffset) {
        super(sizeMs, slideMs, allowedLatenessMs, emitIntervalMs, TypeInformation.of(GmvPane.class));
        this.buyersOffset = buyersOffset;
    }

    @Override
    protected long paneStart(GmvPane update) {
        return update.paneStart;
    }

    @Override
    protected GmvPane store(GmvPane stored, GmvPane update) {
        return update; // each update is the pane's full value
    }

    @Override
    protected void emit(long start, long end, List<GmvPane> panes, boolean isFinal, Collector<GmvSlidingRow> out) {
        GmvSlidingRow row = new GmvSlidingRow();
        row.windowSizeS = sizeMs / 1000;
        row.windowStart = start;
        row.windowEnd = end;
        row.gmv = BigDecimal.ZERO;
        for (GmvPane p : panes) {
            row.orders += p.orders;
            row.gmv = row.gmv.add(p.gmv);
            int slot = buyersOffset + (int) ((end - p.paneStart) / slideMs) - 1;
            if (slot < p.newBuyers.length) {
                row.uniqueBuyers += p.newBuyers[slot];
            }
        }
        row.isFinal = isFinal;
        out.collect(row);
    }
}
