package dev.pulse.sliding;

import java.math.BigDecimal;

/** One row of {@code top_products}; primary key (window_size_s, window_end, rank). */
public class TopProductRow {
    public long windowSizeS;
    public long windowStart;
    public long windowEnd;
    public int rank;
    public long productId;
    public String productName;
    public long orders;
    public long items;
    public BigDecimal gmv;
    public boolean isFinal;

    public TopProductRow() {}
}
