package dev.pulse.payments;

import dev.pulse.window.Rates;
import dev.pulse.window.WindowRowFunction;

/** Adds the method and the success rate to a window's payment totals. */
public class PaymentWindowFunction extends WindowRowFunction<PaymentTotals, PaymentMetricRow, String> {
    @Override
    protected PaymentMetricRow row(String method, PaymentTotals t) {
        PaymentMetricRow row = new PaymentMetricRow();
        row.method = method;
        row.attempts = t.attempts;
        row.succeeded = t.succeeded;
        row.failed = t.attempts - t.succeeded;
        row.successRate = Rates.ratio(t.succeeded, t.attempts);
        row.amountSucceeded = t.amountSucceeded;
        return row;
    }
}
