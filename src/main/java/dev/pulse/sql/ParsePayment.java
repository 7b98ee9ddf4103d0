package dev.pulse.sql;

import dev.pulse.events.Envelope;
import dev.pulse.events.PaymentEvent;
import dev.pulse.events.StreamName;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.time.Duration;

/** {@code PULSE_PAYMENT(line)}: a payments line as the job reads it, or NULL for a dead letter. */
public class ParsePayment extends ScalarFunction {
    public static final String TYPE = "ROW<event_id STRING, event_ts TIMESTAMP(3), payment_id STRING, order_id BIGINT, "
            + "user_id BIGINT, amount DECIMAL(36, 18), method STRING, status STRING>";
    private transient PulseEvents events;

    public @DataTypeHint(TYPE) Row eval(String line) {
        if (events == null) {
            events = new PulseEvents(Duration.ofHours(1));
        }
        Envelope e = events.parse(StreamName.PAYMENTS, line);
        if (e == null) {
            return null;
        }
        PaymentEvent p = e.payment;
        return Row.of(p.eventId, PulseEvents.utc(p.eventTime), p.paymentId, p.orderId, p.userId,
                PulseEvents.decimal(p.amount), p.method, p.status);
    }
}
