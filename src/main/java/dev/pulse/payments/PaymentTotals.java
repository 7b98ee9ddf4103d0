package dev.pulse.payments;

import java.math.BigDecimal;

/** Running totals of one payment_metrics window (also the accumulator). */
public class PaymentTotals {
    public long attempts;
    public long succeeded;
    public BigDecimal amountSucceeded = BigDecimal.ZERO;

    public PaymentTotals() {}
}
