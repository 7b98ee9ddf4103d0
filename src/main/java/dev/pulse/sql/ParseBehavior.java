package dev.pulse.sql;

import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.Envelope;
import dev.pulse.events.StreamName;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;
import org.apache.flink.types.Row;

import java.time.Duration;

/** {@code PULSE_BEHAVIOR(line)}: a behaviour line as the job reads it (defaults applied), or NULL for a dead letter. */
public class ParseBehavior extends ScalarFunction {
    public static final String TYPE = "ROW<event_id STRING, event_ts TIMESTAMP(3), user_id BIGINT, event_type STRING, "
            + "session_id STRING, product_id BIGINT, page_url STRING, referrer STRING, device_type STRING, region STRING>";
    private transient PulseEvents events;

    public @DataTypeHint(TYPE) Row eval(String line) {
        if (events == null) {
            events = new PulseEvents(Duration.ofHours(1));
        }
        Envelope e = events.parse(StreamName.BEHAVIOR, line);
        if (e == null) {
            return null;
        }
        BehaviorEvent b = e.behavior;
        return Row.of(b.eventId, PulseEvents.utc(b.eventTime), b.userId, b.eventType, b.sessionId, b.productId,
                b.pageUrl, b.referrer, b.deviceType, b.region);
    }
}
