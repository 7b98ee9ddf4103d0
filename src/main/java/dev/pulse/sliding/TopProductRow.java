package dev.pulse.sliding;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code top_products}; primary key (window_size_s, window_end, rank). */
public class TopProductRow extends WindowRow {
    public long windowSizeS;
    public int rank;
    public long productId;
    public String productName;
    public long orders;
    public long items;
    public BigDecimal gmv;

    public TopProductRow() {}
}
