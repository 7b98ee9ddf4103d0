package dev.pulse.events;

import java.math.BigDecimal;

/** An order lifecycle event from the {@code orders} stream. */
public class OrderEvent extends Event {
    public static final String PENDING = "pending";
    public static final String PAID = "paid";
    public static final String COMPLETED = "completed";
    public static final String CANCELLED = "cancelled";

    public long orderId;
    public long userId;
    public long productId;
    public String productName;
    public String category;
    public int quantity;
    public BigDecimal price;
    /** Authoritative order value. */
    public BigDecimal amount;
    public String status;
    /** {@code unknown} when absent. */
    public String region;
    /** {@code unknown} when absent. */
    public String city;

    public OrderEvent() {}
}
