package dev.pulse.sliding;

import java.math.BigDecimal;

/** One row of {@code gmv_sliding}; primary key (window_size_s, window_end). */
public class GmvSlidingRow {
    public long windowSizeS;
    public long windowStart;
    public long windowEnd;
    public long orders;
    public BigDecimal gmv;
    public long uniqueBuyers;
    public boolean isFinal;

    public GmvSlidingRow() {}
}
