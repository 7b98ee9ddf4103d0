package dev.pulse.sql;

import dev.pulse.events.Envelope;

import org.apache.flink.table.annotation.DataTypeHint;
import org.apache.flink.table.functions.ScalarFunction;

import java.time.Duration;
import java.time.LocalDateTime;

/**
 * {@code PULSE_EVENT_TIME(stream, line)}: the event time of a raw JSON line as the job reads it (ISO-8601 with an
 * offset or epoch milliseconds, SPEC §1), as a UTC {@code TIMESTAMP(3)}. The source tables' rowtime column, which Flink
 * requires to be non-null: a line the job would make a dead letter gets 1970-01-01T00:00:00 (the earliest event time
 * SPEC §1 allows, so it never moves the watermark) and is dropped by the typed views, whose parse function is NULL.
 */
public class EventTime extends ScalarFunction {
    private transient PulseEvents events;

    public @DataTypeHint("TIMESTAMP(3)") LocalDateTime eval(String stream, String line) {
        if (events == null) {
            events = new PulseEvents(Duration.ofHours(1));
        }
        Envelope e = events.parse(PulseEvents.stream(stream), line);
        return PulseEvents.utc(e == null ? 0L : e.timestamp());
    }

    @Override
    public boolean isDeterministic() {
        return true;
    }
}
