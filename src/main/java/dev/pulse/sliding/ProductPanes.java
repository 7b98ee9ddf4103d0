package dev.pulse.sliding;

import java.util.HashMap;
import java.util.Map;

/** All products of one pane, by product id: the state top-N keeps per pane. */
public class ProductPanes {
    public Map<Long, ProductPane> products = new HashMap<>();

    public ProductPanes() {}
}
