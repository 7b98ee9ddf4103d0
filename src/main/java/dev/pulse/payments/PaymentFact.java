package dev.pulse.payments;

import java.math.BigDecimal;

/** A payment attempt placed at one rollup level: its method or {@code *}. */
public class PaymentFact {
    public String method;
    public boolean success;
    public BigDecimal amount;

    public PaymentFact() {}

    public PaymentFact(String method, boolean success, BigDecimal amount) {
        this.method = method;
        this.success = success;
        this.amount = amount;
    }
}
