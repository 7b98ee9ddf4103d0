package dev.pulse.payments;

import org.apache.flink.api.common.functions.AggregateFunction;

/** Incremental payment totals per window and method. */
public class PaymentAggregate implements AggregateFunction<PaymentFact, PaymentTotals, PaymentTotals> {
    @Override
    public PaymentTotals createAccumulator() {
        return new PaymentTotals();
    }

    @Override
    public PaymentTotals add(PaymentFact f, PaymentTotals acc) {
        acc.attempts++;
        if (f.success) {
            acc.succeeded++;
            acc.amountSucceeded = acc.amountSucceeded.add(f.amount);
        }
        return acc;
    }

    @Override
    public PaymentTotals getResult(PaymentTotals acc) {
        return acc;
    }

    @Override
    public PaymentTotals merge(PaymentTotals a, PaymentTotals b) {
        a.attempts += b.attempts;
        a.succeeded += b.succeeded;
        a.amountSucceeded = a.amountSucceeded.add(b.amountSucceeded);
        return a;
    }
}
