package dev.pulse.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The arithmetic of the freshness probe ({@link Freshness}), kept apart from Kafka and PostgreSQL so that it can be
 * checked on a synthetic timeline: when each event arrived (per 1-minute window), what the window's row showed at each
 * poll, and from that how long each event took to become visible.
 *
 * <p><b>Attribution.</b> A row shows a count, not which events it holds. When a poll at time t sees a window's
 * {@code orders} grow from a to b, the events of rank a+1..b of that window (in arrival order) are taken to have
 * become visible at t: freshness = t − arrival. That is exact when the job counts a window's events in the order they
 * arrived. It does not quite: the orders topic has three partitions read by different source subtasks, and order
 * facts are added up per task (flushed every 200 ms and before each watermark) before the one {@code (*, *)} row
 * step sees them, so events a few hundred milliseconds apart can be counted in the other order. Pairing the i-th
 * arrival with the i-th visibility still gives the exact mean (the same two sums), and each event's figure is off by
 * at most that re-ordering span, which is small against the 1 s emit interval and the 1 s sink flush that dominate.
 * The first time a count reaches a rank is kept: a count that went down (a restore rewriting an older early row)
 * does not make events visible twice.
 *
 * <p><b>What the count must be.</b> Only the probe's own events may be counted in the row (a fresh topic and a fresh
 * schema): a count above the events that arrived for the window is reported ({@code overcount}), never attributed.
 * Events whose rank the count never reached (a late event set aside, a lost record) are reported as unseen.
 */
public final class FreshnessTimeline {
    private final Map<Long, Window> windows = new TreeMap<>();

    /** One observation of a window's row: poll time, the row's {@code orders}, its {@code is_final}. */
    public record Poll(long atMs, long count, boolean isFinal) {}

    /** Figures over the measured events (arrived in [from, to)); latencies in ms. */
    public record Summary(long events, long unseen, long p50, long p90, long p99, long max, double mean) {}

    /** One window as the probe saw it; times in ms since the epoch, -1 when not observed. */
    public record WindowResult(long windowStart, long arrived, long lastCount, long lastChangeMs, long finalMs) {
        public long windowEnd() {
            return windowStart + 60_000;
        }

        /** Window end to the poll that first saw the row final (-1: not seen final). */
        public long finalAfterEndMs() {
            return finalMs < 0 ? -1 : finalMs - windowEnd();
        }

        /** Window end to the poll that saw its count's last change (negative when it stopped before the end). */
        public long lastChangeAfterEndMs() {
            return lastChangeMs < 0 ? -1 : lastChangeMs - windowEnd();
        }

        public long overcount() {
            return Math.max(0, lastCount - arrived);
        }
    }

    private static final class Window {
        long[] arrivals = new long[1024];
        int arrived;
        /** visible[i]: when the count first reached i + 1. */
        long[] visible = new long[1024];
        long maxCount;
        long lastCount;
        long lastChangeMs = -1;
        long finalMs = -1;
    }

    private Window window(long windowStart) {
        if (windowStart % 60_000 != 0) {
            throw new IllegalArgumentException("not the start of a minute: " + windowStart);
        }
        return windows.computeIfAbsent(windowStart, k -> new Window());
    }

    /** An event of the window starting at {@code windowStart} arrived at {@code atMs}; arrivals may come in any order. */
    public void arrived(long windowStart, long atMs) {
        Window w = window(windowStart);
        if (w.arrived == w.arrivals.length) {
            w.arrivals = Arrays.copyOf(w.arrivals, w.arrivals.length * 2);
        }
        w.arrivals[w.arrived++] = atMs;
    }

    /** A poll at {@code poll.atMs()} saw the window's row; polls of one window come in time order. */
    public void observed(long windowStart, Poll poll) {
        Window w = window(windowStart);
        if (poll.count() > w.maxCount) {
            if (poll.count() > w.visible.length) {
                w.visible = Arrays.copyOf(w.visible, (int) Math.max(poll.count(), w.visible.length * 2L));
            }
            Arrays.fill(w.visible, (int) w.maxCount, (int) poll.count(), poll.atMs());
            w.maxCount = poll.count();
        }
        if (poll.count() != w.lastCount) {
            w.lastChangeMs = poll.atMs();
            w.lastCount = poll.count();
        }
        if (poll.isFinal() && w.finalMs < 0) {
            w.finalMs = poll.atMs();
        }
    }

    /** Freshness of every event that arrived in [fromMs, toMs): the nearest-rank percentiles and the unseen ones. */
    public Summary summary(long fromMs, long toMs) {
        long[] latencies = new long[0];
        int n = 0;
        long unseen = 0;
        for (Window w : windows.values()) {
            long[] arrivals = Arrays.copyOf(w.arrivals, w.arrived);
            Arrays.sort(arrivals);
            for (int i = 0; i < arrivals.length; i++) {
                if (arrivals[i] < fromMs || arrivals[i] >= toMs) {
                    continue;
                }
                if (i >= w.maxCount) {
                    unseen++;
                    continue;
                }
                if (n == latencies.length) {
                    latencies = Arrays.copyOf(latencies, Math.max(1024, n * 2));
                }
                latencies[n++] = w.visible[i] - arrivals[i];
            }
        }
        long[] sorted = Arrays.copyOf(latencies, n);
        Arrays.sort(sorted);
        double mean = n == 0 ? Double.NaN : Arrays.stream(sorted).average().orElse(0);
        return new Summary(n, unseen, percentile(sorted, 50), percentile(sorted, 90), percentile(sorted, 99),
                n == 0 ? -1 : sorted[n - 1], mean);
    }

    /** Every window seen, in time order. */
    public List<WindowResult> windows() {
        List<WindowResult> out = new ArrayList<>();
        for (Map.Entry<Long, Window> e : windows.entrySet()) {
            Window w = e.getValue();
            out.add(new WindowResult(e.getKey(), w.arrived, w.lastCount, w.lastChangeMs, w.finalMs));
        }
        return out;
    }

    /** Nearest-rank percentile of sorted values; -1 when there are none. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return -1;
        }
        int rank = (int) Math.ceil(p / 100 * sorted.length);
        return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
    }
}
