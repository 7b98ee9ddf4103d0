package dev.pulse.sessions;

import dev.pulse.events.BehaviorEvent;
import dev.pulse.window.Rollup;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.TimerService;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Session windows per user, by hand: the sessions of Flink's {@code EventTimeSessionWindows} (an event joins every
 * session it comes within one gap of, inclusive, and bridges them), kept as one small value per user with at most
 * one pending timer, instead of a merging window set, per-window trigger state and a processing-time timer per
 * window per emit interval.
 *
 * <p>Every event is reported at once as a signed change to its (hour, device) rows: the session's previous version
 * taken back, the new one added. The {@code DeltaCombiner} after this step adds those changes up per row before the
 * shuffle, and the hourly rows are written every emit interval, so reporting per event costs a few additions. When
 * the watermark passes a session's end ({@code last + gap - 1}) its version is reported again as closed; it is kept
 * for the session lateness after that, so a late event can still extend or bridge it, and then forgotten (its last
 * version stays counted). An event whose session would already be forgotten is dropped, as the window operator drops
 * it; the late filter upstream lets none of them through (see {@link SessionFunnel#sessionLateness}).
 */
public class UserSessionsFunction extends KeyedProcessFunction<Long, BehaviorEvent, SessionDelta> {
    private static final long NONE = SessionAccumulator.NONE;

    private final long gapMs;
    private final long latenessMs;
    private final SessionAggregate fold = new SessionAggregate();
    private transient ValueState<UserSessions> state;
    private transient Counter lateDropped;

    public UserSessionsFunction(long gapMs, long latenessMs) {
        this.gapMs = gapMs;
        this.latenessMs = latenessMs;
    }

    @Override
    public void open(OpenContext openContext) {
        state = getRuntimeContext().getState(new ValueStateDescriptor<>("user-sessions",
                TypeInformation.of(UserSessions.class)));
        lateDropped = getRuntimeContext().getMetricGroup().counter("numLateRecordsDropped");
    }

    @Override
    public void processElement(BehaviorEvent e, Context ctx, Collector<SessionDelta> out) throws Exception {
        long watermark = ctx.timerService().currentWatermark();
        UserSessions user = state.value();
        if (user == null) {
            user = new UserSessions();
        }
        List<OpenSession> joined = new ArrayList<>(1);
        for (Iterator<OpenSession> it = user.sessions.iterator(); it.hasNext(); ) {
            OpenSession s = it.next();
            if (e.eventTime <= s.lastTime + gapMs && e.eventTime + gapMs >= s.firstTime) {
                joined.add(s);
                it.remove();
            }
        }
        OpenSession session;
        SessionSummary before = null;
        if (joined.isEmpty()) {
            if (e.eventTime + gapMs - 1 + latenessMs <= watermark) {
                lateDropped.inc();
                return;
            }
            session = new OpenSession();
        } else {
            session = joined.get(0);
            before = summary(session, session.reportedOpen);
            for (int i = 1; i < joined.size(); i++) { // bridged: the merged-away sessions are taken back
                OpenSession other = joined.get(i);
                report(summary(other, other.reportedOpen), null, out);
                fold.merge(session, other);
            }
        }
        fold.add(e, session);
        session.reportedOpen = watermark < end(session);
        report(before, summary(session, session.reportedOpen), out);
        user.sessions.add(session);
        schedule(user, ctx.timerService());
        state.update(user);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<SessionDelta> out) throws Exception {
        UserSessions user = state.value();
        if (user == null) {
            return;
        }
        if (timestamp == user.timerAt) {
            user.timerAt = NONE;
        }
        long watermark = ctx.timerService().currentWatermark();
        for (Iterator<OpenSession> it = user.sessions.iterator(); it.hasNext(); ) {
            OpenSession s = it.next();
            if (s.reportedOpen && end(s) <= watermark) {
                report(summary(s, true), summary(s, false), out);
                s.reportedOpen = false;
            }
            if (end(s) + latenessMs <= watermark) {
                it.remove();
            }
        }
        if (user.sessions.isEmpty()) {
            state.clear(); // a timer still pending finds no state and does nothing
            return;
        }
        schedule(user, ctx.timerService());
        state.update(user);
    }

    /** The window's last instant, as Flink's {@code TimeWindow.maxTimestamp()}. */
    private long end(OpenSession s) {
        return s.lastTime + gapMs - 1;
    }

    /** One timer per user, at the earliest instant one of its sessions closes or is forgotten. */
    private void schedule(UserSessions user, TimerService timers) {
        long due = NONE;
        for (OpenSession s : user.sessions) {
            due = Math.min(due, s.reportedOpen ? end(s) : end(s) + latenessMs);
        }
        if (due < user.timerAt) {
            timers.registerEventTimeTimer(due);
            user.timerAt = due;
        }
    }

    private SessionSummary summary(OpenSession s, boolean open) {
        SessionSummary summary = fold.getResult(s);
        summary.open = open;
        return summary;
    }

    /** Takes {@code before} back and adds {@code after} (either may be null), one change per row they share. */
    private static void report(SessionSummary before, SessionSummary after, Collector<SessionDelta> out) {
        if (before != null && after != null && hour(before) == hour(after)) {
            if (before.device.equals(after.device)) {
                out.collect(SessionDelta.change(before, after, after.device));
            } else {
                out.collect(SessionDelta.of(before, before.device, -1));
                out.collect(SessionDelta.of(after, after.device, +1));
            }
            out.collect(SessionDelta.change(before, after, Rollup.ALL));
            return;
        }
        if (before != null) {
            out.collect(SessionDelta.of(before, before.device, -1));
            out.collect(SessionDelta.of(before, Rollup.ALL, -1));
        }
        if (after != null) {
            out.collect(SessionDelta.of(after, after.device, +1));
            out.collect(SessionDelta.of(after, Rollup.ALL, +1));
        }
    }

    private static long hour(SessionSummary s) {
        return SessionDelta.hourOf(s.start);
    }
}
