package dev.pulse.sliding;

import java.util.HashMap;
import java.util.Map;

/** All products of one pane, by product id, as top-N reads it; kept in state as one entry per product. */
public class ProductPanes {
    public Map<Long, ProductPane> products = new HashMap<>();

    public ProductPanes() {}
}
