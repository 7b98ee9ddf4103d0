package dev.pulse.payments;

import dev.pulse.events.PaymentEvent;
import dev.pulse.window.Rollup;

import org.apache.flink.api.common.functions.FlatMapFunction;
import org.apache.flink.util.Collector;

/** Places each payment attempt under its method and under the {@code *} rollup. */
public class PaymentRollup implements FlatMapFunction<PaymentEvent, PaymentFact> {
    @Override
    public void flatMap(PaymentEvent e, Collector<PaymentFact> out) {
        boolean success = PaymentEvent.SUCCESS.equals(e.status);
        out.collect(new PaymentFact(Rollup.ALL, success, e.amount));
        out.collect(new PaymentFact(e.method, success, e.amount));
    }
}
