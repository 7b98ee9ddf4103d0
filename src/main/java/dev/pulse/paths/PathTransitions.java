package dev.pulse.paths;

import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.DeltaCombiner;
import dev.pulse.sessions.SessionFunnel;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;

import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.numeric;
import static dev.pulse.metric.Column.text;
import static dev.pulse.metric.Column.time;

/**
 * {@code path_transitions}: consecutive events inside a session (the sessions of {@code session_funnel}: split where
 * two events are more than the gap apart), per hour of the first event: how many, and the mean gap.
 */
public final class PathTransitions extends MetricFamily {
    public static final SinkTable<PathTransitionRow> TABLE = SinkTable.of("path_transitions", PathTransitionRow.class,
            List.of(time("window_start", r -> r.windowStart), text("from_event", r -> r.fromEvent),
                    text("to_event", r -> r.toEvent)),
            List.of(time("window_end", r -> r.windowEnd), bigint("transitions", r -> r.transitions),
                    numeric("avg_gap_s", r -> r.avgGapS)));

    // Operator uids (never change once released).
    public static final String EVENTS_UID = "path-transitions-per-user";
    public static final String COMBINE_UID = "path-transitions-combine";
    public static final String ROWS_UID = "path-transitions-rows";

    public PathTransitions() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        long gap = options.sessionGap().toMillis();
        long horizon = SessionFunnel.sessionLateness(options).toMillis();
        TABLE.sink(DeltaCombiner.combine(inputs.behaviorByUser()
                        .process(new SessionPaths(gap, horizon), TypeInformation.of(TransitionDelta.class))
                        .uid(EVENTS_UID).name("path transitions per user"),
                        TypeInformation.of(TransitionDelta.class), COMBINE_UID, "path transitions: add up per row")
                .keyBy(d -> Tuple3.of(d.hourStart, d.fromEvent, d.toEvent), Types.TUPLE(Types.LONG, Types.STRING, Types.STRING))
                .process(new TransitionRows(gap, horizon, options.emitInterval().toMillis()),
                        TypeInformation.of(PathTransitionRow.class))
                .uid(ROWS_UID).name("path_transitions rows"), sinks);
    }
}
