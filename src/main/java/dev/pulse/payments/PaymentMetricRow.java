package dev.pulse.payments;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code payment_metrics}; primary key (window_start, method). */
public class PaymentMetricRow extends WindowRow {
    public String method;
    public long attempts;
    public long succeeded;
    public long failed;
    /** succeeded / attempts, 4 decimal places. */
    public BigDecimal successRate;
    public BigDecimal amountSucceeded;

    public PaymentMetricRow() {}
}
