package dev.pulse.source;

import org.apache.flink.api.connector.source.util.ratelimit.RateLimiter;
import org.apache.flink.api.connector.source.util.ratelimit.RateLimiterStrategy;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * The generator's pace: record k of a subtask may go once {@code k / rate} seconds have passed since its first.
 * A record whose time has come is let through at once (a completed future, no thread hand-off); otherwise one timer
 * wakes the reader when the next record is due, at least {@link #MIN_WAIT_MS} later, so the records due by then go
 * out together. Flink's {@code RateLimiterStrategy.perSecond} hands every single record to an executor thread and
 * back: at the default 6,500 events/s that thread alone took 12 % of a core of a live {@code bin/pulse}.
 *
 * <p>The pace is kept against the clock: records that a busy job could not take when due go out as soon as it can
 * (as a Kafka backlog would), so event times, which the generator derives from the record's number, stay near the
 * wall clock. A restored job starts a new pace from its restored position.
 */
public final class PacedRateLimiter implements RateLimiter {
    /** Fewer wake-ups: at 5,000 records/s a wake-up lets about 50 through. */
    static final long MIN_WAIT_MS = 10;
    private static final CompletableFuture<Void> NOW = CompletableFuture.completedFuture(null);
    private static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "pulse-generator-pace");
        t.setDaemon(true);
        return t;
    });

    private final double perNano;
    private final LongSupplier nanoClock;
    private long start = Long.MIN_VALUE;
    private long granted;

    PacedRateLimiter(double perSecond, LongSupplier nanoClock) {
        if (!(perSecond > 0)) {
            throw new IllegalArgumentException("rate must be positive: " + perSecond);
        }
        this.perNano = perSecond / 1e9;
        this.nanoClock = nanoClock;
    }

    /** {@code perSecond} for the whole source, shared evenly by its subtasks (as Flink's {@code perSecond}). */
    public static RateLimiterStrategy perSecond(double perSecond) {
        return parallelism -> new PacedRateLimiter(perSecond / parallelism, System::nanoTime);
    }

    double perSecond() {
        return perNano * 1e9;
    }

    @Override
    public CompletionStage<Void> acquire() {
        long now = nanoClock.getAsLong();
        if (start == Long.MIN_VALUE) {
            start = now;
        }
        long k = granted++;
        long dueIn = (long) Math.ceil(k / perNano) - (now - start); // nanoseconds until record k is due
        if (dueIn <= 0) {
            return NOW;
        }
        CompletableFuture<Void> due = new CompletableFuture<>();
        TIMER.schedule(() -> due.complete(null), Math.max(MIN_WAIT_MS, TimeUnit.NANOSECONDS.toMillis(dueIn)),
                TimeUnit.MILLISECONDS);
        return due;
    }
}
