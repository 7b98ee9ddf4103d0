package dev.pulse.sessions;

import dev.pulse.window.Rollup;

import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.functions.windowing.ProcessWindowFunction;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns each firing of a user's session window into signed deltas for the hourly rows. It remembers, per user,
 * the version of each session it last reported (by session start). A firing of window [start, end) takes back
 * every reported session that starts inside it (the same session's older version, or sessions this one has
 * merged) and adds the new version, under its device and under {@code *}. So merges and late events keep the hourly
 * rows exact. A purged window's memory is dropped: its last version stays counted.
 */
public class SessionChanges extends ProcessWindowFunction<SessionSummary, SessionDelta, Long, TimeWindow> {
    private final MapStateDescriptor<Long, SessionSummary> reportedDescriptor =
            new MapStateDescriptor<>("reported-sessions", Types.LONG, TypeInformation.of(SessionSummary.class));

    @Override
    public void process(Long user, Context ctx, Iterable<SessionSummary> summaries, Collector<SessionDelta> out)
            throws Exception {
        SessionSummary now = summaries.iterator().next();
        now.open = ctx.currentWatermark() < ctx.window().maxTimestamp();
        MapState<Long, SessionSummary> reported = ctx.globalState().getMapState(reportedDescriptor);
        List<Long> replaced = new ArrayList<>();
        for (Long start : reported.keys()) {
            if (start >= ctx.window().getStart() && start < ctx.window().getEnd()) {
                replaced.add(start);
            }
        }
        for (Long start : replaced) {
            SessionSummary old = reported.get(start);
            out.collect(SessionDelta.of(old, old.device, -1));
            out.collect(SessionDelta.of(old, Rollup.ALL, -1));
            reported.remove(start);
        }
        out.collect(SessionDelta.of(now, now.device, +1));
        out.collect(SessionDelta.of(now, Rollup.ALL, +1));
        reported.put(now.start, now);
    }

    @Override
    public void clear(Context ctx) throws Exception {
        ctx.globalState().getMapState(reportedDescriptor).remove(ctx.window().getStart());
    }
}
