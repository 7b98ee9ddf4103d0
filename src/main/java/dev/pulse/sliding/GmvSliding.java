package dev.pulse.sliding;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.util.Collector;

import java.math.BigDecimal;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** gmv_sliding from GMV panes: sums add up, buyers are the union of the panes' buyer sets. */
public class GmvSliding extends SlidingFromPanes<GmvPane, GmvPane, GmvSlidingRow> {
    public GmvSliding(long sizeMs, long slideMs, long allowedLatenessMs, long emitIntervalMs) {
        super(sizeMs, slideMs, allowedLatenessMs, emitIntervalMs, TypeInformation.of(GmvPane.class));
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
        Set<Long> buyers = new HashSet<>();
        for (GmvPane p : panes) {
            row.orders += p.orders;
            row.gmv = row.gmv.add(p.gmv);
            buyers.addAll(p.buyers);
        }
        row.uniqueBuyers = buyers.size();
        row.isFinal = isFinal;
        out.collect(row);
    }
}
