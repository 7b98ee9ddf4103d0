package dev.pulse.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkOutput;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

class IdleAdvancingWatermarksTest {
    private final AtomicLong now = new AtomicLong(1_000_000);
    private final List<Long> emitted = new ArrayList<>();
    private boolean idle;
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override public void emitWatermark(Watermark w) { emitted.add(w.getTimestamp()); idle = false; }
        @Override public void markIdle() { idle = true; }
        @Override public void markActive() { idle = false; }
    };
    private final IdleAdvancingWatermarks<String> wm = new IdleAdvancingWatermarks<>(5_000, 30_000, now::get);

    @Test
    void trailsTheHighestEventTimeByTheOutOfOrderness() {
        wm.onEvent("a", 100_000, output);
        wm.onEvent("b", 90_000, output);
        wm.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(94_999L);
    }

    @Test
    void followsTheWallClockWhenEveryInputIsQuietSoWindowsStillClose() {
        wm.onEvent("a", 100_000, output);
        now.addAndGet(30_000);
        wm.onPeriodicEmit(output);
        now.addAndGet(60_000);
        wm.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(94_999L, 154_999L);
    }

    @Test
    void neverGoesBackWhenEventsResumeAfterAQuietSpell() {
        wm.onEvent("a", 100_000, output);
        now.addAndGet(100_000);
        wm.onPeriodicEmit(output);
        wm.onEvent("b", 101_000, output);
        wm.onPeriodicEmit(output);
        assertThat(emitted).containsExactly(164_999L, 164_999L);
    }

    @Test
    void aSplitThatNeverSawAnEventIsMarkedIdleAfterTheTimeout() {
        wm.onPeriodicEmit(output);
        assertThat(idle).isFalse();
        now.addAndGet(30_001);
        wm.onPeriodicEmit(output);
        assertThat(idle).isTrue();
        assertThat(emitted).isEmpty();
    }

    @Test
    void badRecordsDoNotMoveTheWatermark() {
        wm.onEvent("bad", Long.MIN_VALUE, output);
        wm.onPeriodicEmit(output);
        assertThat(emitted).isEmpty();
    }
}

class DataDrivenWatermarksTest {
    private final List<Long> emitted = new ArrayList<>();
    private final WatermarkOutput output = new WatermarkOutput() {
        @Override public void emitWatermark(Watermark w) { emitted.add(w.getTimestamp()); }
        @Override public void markIdle() { throw new AssertionError("a replay is never idle"); }
        @Override public void markActive() {}
    };

    @Test
    void advancesOnlyWithTheDataInStepsAndNeverOnTheClock() {
        DataDrivenWatermarks<String> wm = new DataDrivenWatermarks<>(5_000, 1_000);
        wm.onEvent("a", 10_000, output);
        wm.onEvent("b", 10_500, output);   // less than a step further: nothing
        wm.onEvent("late", 1_000, output); // out of order: nothing
        wm.onPeriodicEmit(output);         // the clock: nothing
        wm.onEvent("c", 11_000, output);
        assertThat(emitted).containsExactly(4_999L, 5_999L);
    }
}
