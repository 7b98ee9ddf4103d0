package dev.pulse.source;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.offset;

class PacedRateLimiterTest {
    private static final long MS = 1_000_000;
    private final AtomicLong clock = new AtomicLong(5_000 * MS);

    private CompletableFuture<Void> acquire(PacedRateLimiter limiter) {
        return limiter.acquire().toCompletableFuture();
    }

    @Test
    void recordsWhoseTimeHasComeGoAtOnceAndTheNextWaits() {
        PacedRateLimiter limiter = new PacedRateLimiter(1_000, clock::get);
        assertThat(acquire(limiter)).as("record 0 at the start").isDone();
        clock.addAndGet(5 * MS);
        for (int k = 1; k <= 5; k++) {
            assertThat(acquire(limiter)).as("record " + k + " due at " + k + " ms").isDone();
        }
        assertThat(acquire(limiter)).as("record 6 is due at 6 ms, the clock says 5").isNotDone();
    }

    @Test
    void aRecordNotYetDueIsReleasedByATimerWhenItIsDue() throws Exception {
        PacedRateLimiter limiter = new PacedRateLimiter(10, clock::get);
        acquire(limiter);
        long before = System.nanoTime();
        CompletableFuture<Void> second = acquire(limiter);
        assertThat(second).isNotDone();
        second.get(5, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - before).as("released 100 ms after the first").isGreaterThanOrEqualTo(95 * MS);
    }

    @Test
    void aTimerWaitsAtLeastTheMinimumSoTheRecordsDueByThenGoTogether() throws Exception {
        PacedRateLimiter limiter = new PacedRateLimiter(100_000, clock::get);
        acquire(limiter);
        long before = System.nanoTime();
        acquire(limiter).get(5, TimeUnit.SECONDS); // due in 10 microseconds
        assertThat(System.nanoTime() - before).isGreaterThanOrEqualTo((PacedRateLimiter.MIN_WAIT_MS - 1) * MS);
    }

    @Test
    void aJobThatFellBehindGetsTheRecordsDueMeanwhileAtOnce() {
        PacedRateLimiter limiter = new PacedRateLimiter(1_000, clock::get);
        acquire(limiter);
        clock.addAndGet(2_000 * MS);
        for (int k = 1; k <= 2_000; k++) {
            assertThat(acquire(limiter)).as("record " + k).isDone();
        }
        assertThat(acquire(limiter)).isNotDone();
    }

    @Test
    void theSourcesRateIsSharedByItsSubtasks() {
        PacedRateLimiter whole = (PacedRateLimiter) PacedRateLimiter.perSecond(1_000).createRateLimiter(1);
        PacedRateLimiter quarter = (PacedRateLimiter) PacedRateLimiter.perSecond(1_000).createRateLimiter(4);
        assertThat(whole.perSecond()).isCloseTo(1_000, offset(1e-6));
        assertThat(quarter.perSecond()).isCloseTo(250, offset(1e-6));
        assertThatThrownBy(() -> new PacedRateLimiter(0, clock::get)).isInstanceOf(IllegalArgumentException.class);
    }
}
