package dev.pulse.sql;

import dev.pulse.events.Envelope;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.StreamName;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.time.Duration;

/** {@code PULSE_ORDER(line)}: an orders line as the job reads it (defaults applied), or NULL for a dead letter. */
public class ParseOrder extends ScalarFunction {
    public static final String TYPE = "ROW<event_id STRING, event_ts TIMESTAMP(3), order_id BIGINT, user_id BIGINT, "
            + "product_id BIGINT, product_name STRING, category STRING, quantity INT, price DECIMAL(36, 18), "
            + "amount DECIMAL(36, 18), status STRING, region STRING, city STRING>";
    private transient PulseEvents events;

    public @DataTypeHint(TYPE) Row eval(String line) {
        if (events == null) {
            events = new PulseEvents(Duration.ofHours(1));
        }
        Envelope e = events.parse(StreamName.ORDERS, line);
        if (e == null) {
            return null;
        }
        OrderEvent o = e.order;
        return Row.of(o.eventId, PulseEvents.utc(o.eventTime), o.orderId, o.userId, o.productId, o.productName,
                o.category, o.quantity, PulseEvents.decimal(o.price), PulseEvents.decimal(o.amount), o.status, o.region,
                o.city);
    }
}
