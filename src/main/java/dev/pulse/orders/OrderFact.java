package dev.pulse.orders;

import java.math.BigDecimal;

/** A paid or cancelled order event placed at one rollup level: (*,*), (region,*) or (region,city). */
public class OrderFact {
    public String region;
    public String city;
    public boolean paid;
    public long userId;
    public int quantity;
    public BigDecimal amount;

    public OrderFact() {}

    public OrderFact(String region, String city, boolean paid, long userId, int quantity, BigDecimal amount) {
        this.region = region;
        this.city = city;
        this.paid = paid;
        this.userId = userId;
        this.quantity = quantity;
        this.amount = amount;
    }
}
