package dev.pulse.window;

import dev.pulse.config.PulseOptions;

import org.apache.flink.streaming.api.datastream.KeyedStream;
import org.apache.flink.streaming.api.datastream.WindowedStream;
import org.apache.flink.streaming.api.windowing.assigners.WindowAssigner;
import org.apache.flink.streaming.api.windowing.windows.TimeWindow;

import java.time.Duration;

/** What every window of Pulse shares. */
public final class Windows {
    /** Lateness is judged against the finest window of every metric: one minute. */
    public static final Duration FINEST = Duration.ofMinutes(1);

    private Windows() {}

    /** Start of the finest window (the minute) holding {@code time}: every coarser window holds whole ones. */
    public static long finestStart(long time) {
        return time - Math.floorMod(time, FINEST.toMillis());
    }

    /** Allowed lateness, and early results every emit interval (SPEC §2). */
    public static <T, K> WindowedStream<T, K, TimeWindow> withEarlyResults(KeyedStream<T, K> stream,
                                                                           WindowAssigner<? super T, TimeWindow> windows,
                                                                           PulseOptions options) {
        return withEarlyResults(stream, windows, options.allowedLateness(), options);
    }

    public static <T, K> WindowedStream<T, K, TimeWindow> withEarlyResults(KeyedStream<T, K> stream,
                                                                           WindowAssigner<? super T, TimeWindow> windows,
                                                                           Duration lateness, PulseOptions options) {
        return stream.window(windows).allowedLateness(lateness)
                .trigger(new EarlyFiringTrigger(options.emitInterval().toMillis()));
    }
}
