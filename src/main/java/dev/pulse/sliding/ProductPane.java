package dev.pulse.sliding;

import java.math.BigDecimal;

/** Paid orders of one product in one pane. */
public class ProductPane {
    public long paneStart;
    public long productId;
    public String productName;
    public long orders;
    public long items;
    public BigDecimal gmv = BigDecimal.ZERO;

    public ProductPane() {}

    void addTo(ProductPane total) {
        total.orders += orders;
        total.items += items;
        total.gmv = total.gmv.add(gmv);
        total.productName = productName;
    }
}
