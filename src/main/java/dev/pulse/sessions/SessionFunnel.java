package dev.pulse.sessions;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.DeltaCombiner;
import dev.pulse.window.Windows;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

import java.time.Duration;
import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;

/** {@code session_funnel}: sessions per user; each change becomes signed deltas to (hour, device) rows. */
public final class SessionFunnel extends MetricFamily {
    public static final SinkTable<SessionFunnelRow> TABLE = SinkTable.of("session_funnel", SessionFunnelRow.class,
            List.of(time("window_start", r -> r.windowStart), text("device_type", r -> r.deviceType)),
            List.of(time("window_end", r -> r.windowEnd), bigint("sessions", r -> r.sessions),
                    bigint("bounced_sessions", r -> r.bouncedSessions), bigint("reached_view", r -> r.reachedView),
                    bigint("reached_cart", r -> r.reachedCart), bigint("reached_checkout", r -> r.reachedCheckout),
                    bigint("reached_purchase", r -> r.reachedPurchase), numeric("avg_duration_s", r -> r.avgDurationS),
                    numeric("avg_events", r -> r.avgEvents)));

    // Operator uids (never change once released).
    public static final String SESSIONS_UID = "sessions-per-user"; // was "sessions", a session window operator
    public static final String COMBINE_UID = "sessions-combine";
    public static final String HOURS_UID = "session-funnel-hours";

    public SessionFunnel() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(DeltaCombiner.combine(sessionWindow(inputs.behaviorByUser(), options),
                        TypeInformation.of(SessionDelta.class), COMBINE_UID, "sessions: add up per row")
                .keyBy(d -> Tuple2.of(d.hourStart, d.device), Types.TUPLE(Types.LONG, Types.STRING))
                .process(new SessionHourRows(options.sessionGap().toMillis(), sessionLateness(options).toMillis(),
                        options.emitInterval().toMillis()))
                .uid(HOURS_UID).name("session_funnel hours"), sinks);
    }

    /**
     * A session must outlive every event that can still pass the late filter. That filter keeps an event while its
     * 1-minute window is within allowed lateness, i.e. up to one finest window after the event itself, so an event
     * can bridge into a session whose own window (last event + gap) ended up to a minute before it. With only the
     * allowed lateness, the session would already be purged and the bridging event would start a second one, a
     * split never repaired.
     */
    public static Duration sessionLateness(PulseOptions options) {
        return options.allowedLateness().plus(Windows.FINEST);
    }

    public static SingleOutputStreamOperator<SessionDelta> sessionWindow(KeyedStream<BehaviorEvent, Long> byUser,
                                                                         PulseOptions options) {
        return byUser.process(new UserSessionsFunction(options.sessionGap().toMillis(),
                        sessionLateness(options).toMillis()), TypeInformation.of(SessionDelta.class))
                .uid(SESSIONS_UID).name("sessions per user");
    }
}
