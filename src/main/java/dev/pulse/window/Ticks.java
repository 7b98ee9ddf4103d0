package dev.pulse.window;

import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.streaming.api.TimerService;

import java.io.IOException;

/** Early-result ticks are aligned to the emit interval, so every window of a subtask flushes in the same batch. */
public final class Ticks {
    private Ticks() {}

    /** The first interval boundary after {@code now}. */
    public static long next(long now, long intervalMs) {
        return now - Math.floorMod(now, intervalMs) + intervalMs;
    }

    /** Registers the next tick for this key unless one is pending ({@code nextTick}, cleared when it fires). */
    public static void scheduleOnce(ValueState<Long> nextTick, TimerService timers, long intervalMs) throws IOException {
        if (nextTick.value() == null) {
            long tick = next(timers.currentProcessingTime(), intervalMs);
            timers.registerProcessingTimeTimer(tick);
            nextTick.update(tick);
        }
    }
}
