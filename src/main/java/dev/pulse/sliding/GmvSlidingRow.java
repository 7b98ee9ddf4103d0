package dev.pulse.sliding;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code gmv_sliding}; primary key (window_size_s, window_end). */
public class GmvSlidingRow extends WindowRow {
    public long windowSizeS;
    public long orders;
    public BigDecimal gmv;
    public long uniqueBuyers;

    public GmvSlidingRow() {}
}
