package dev.pulse.window;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Keyed by user: turns each event into rows of additive deltas, +1 user wherever the user is new to a window and
 * rollup key ({@link WindowMarks}). A window's marks go once its allowed lateness is over (no event of it can pass
 * the late filter any more): one value and at most one pending event-time timer per user.
 */
public abstract class MarksFunction<IN, OUT> extends KeyedProcessFunction<Long, IN, OUT> {
    protected final long allowedLatenessMs;
    private transient ValueState<WindowMarks> marks;

    protected MarksFunction(long allowedLatenessMs) {
        this.allowedLatenessMs = allowedLatenessMs;
    }

    /** Emits the deltas of one event, marking the user where it is new; true when a mark was added. */
    protected abstract boolean mark(IN event, WindowMarks user, Collector<OUT> out);

    /** The watermark from which the entry's window takes no more events: its end - 1 + allowed lateness. */
    protected abstract long purgeAt(long entry);

    @Override
    public void open(OpenContext openContext) {
        marks = getRuntimeContext().getState(new ValueStateDescriptor<>("marks", TypeInformation.of(WindowMarks.class)));
    }

    @Override
    public void processElement(IN event, Context ctx, Collector<OUT> out) throws Exception {
        WindowMarks user = marks.value();
        if (user == null) {
            user = new WindowMarks();
        }
        if (mark(event, user, out)) {
            user.schedule(ctx.timerService(), this::purgeAt);
            marks.update(user);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OUT> out) throws Exception {
        WindowMarks user = marks.value();
        if (user == null) {
            return; // a timer left from marks already cleared
        }
        user.expire(timestamp, this::purgeAt);
        if (user.isEmpty()) {
            marks.clear();
            return;
        }
        user.schedule(ctx.timerService(), this::purgeAt);
        marks.update(user);
    }
}
