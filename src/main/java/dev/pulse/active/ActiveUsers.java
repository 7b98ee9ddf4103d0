package dev.pulse.active;

import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.DeltaCombiner;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.api.datastream.DataStream;

import java.time.Duration;
import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;

/**
 * {@code active_users}: distinct users and events per 1 min / 1 h / 1 day, by event type and {@code *}. Exact and
 * bounded: per user, one bit mask per open window ({@link ActiveUserMarks}); per row, two sums
 * ({@link ActiveUserRows}). No step holds a window's set of users.
 */
public final class ActiveUsers extends MetricFamily {
    /** A tumbling grain: its label in the table and its size. */
    public record Grain(String label, Duration size) {}

    public static final List<Grain> GRAINS = List.of(new Grain("1m", Duration.ofMinutes(1)),
            new Grain("1h", Duration.ofHours(1)), new Grain("1d", Duration.ofDays(1)));
    public static final String ANY_TYPE = "*";

    public static final SinkTable<ActiveUsersRow> TABLE = SinkTable.of("active_users", ActiveUsersRow.class,
            List.of(text("grain", r -> r.grain), time("window_start", r -> r.windowStart),
                    text("event_type", r -> r.eventType)),
            List.of(time("window_end", r -> r.windowEnd), bigint("users", r -> r.users),
                    bigint("events", r -> r.events)));

    // Operator uids (never change once released).
    public static final String MARKS_UID = "active-users-user-marks"; // was "active-users-marks" (a MapState per user)
    public static final String COMBINE_UID = "active-users-combine";
    public static final String ROWS_UID = "active-users-rows";

    public ActiveUsers() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(deltas(inputs, options)
                .keyBy(d -> Tuple3.of(d.grain, d.windowStart, d.eventType), Types.TUPLE(Types.INT, Types.LONG, Types.STRING))
                .process(new ActiveUserRows(options.allowedLateness().toMillis(), options.emitInterval().toMillis()),
                        TypeInformation.of(ActiveUsersRow.class))
                .uid(ROWS_UID).name("active_users rows"), sinks);
    }

    /**
     * Every user's first event per type and window as deltas, added up per row in each task: what active_users
     * sums, and funnel_metrics too (its steps are distinct users per event type and window). Built once.
     */
    public static DataStream<ActiveDelta> deltas(MetricInputs inputs, PulseOptions options) {
        return inputs.shared(MARKS_UID, () -> DeltaCombiner.combine(inputs.behaviorByUser()
                        .process(new ActiveUserMarks(options.allowedLateness().toMillis()),
                                TypeInformation.of(ActiveDelta.class))
                        .uid(MARKS_UID).name("active users: first event per user and window"),
                TypeInformation.of(ActiveDelta.class), COMBINE_UID, "active users: add up per row"));
    }
}
