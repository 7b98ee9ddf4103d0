package dev.pulse.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

import java.io.Serializable;
import java.util.function.LongSupplier;

/**
 * Bounded out-of-orderness for live sources, with a remedy for the all-idle stall.
 *
 * <p>Flink's {@code withIdleness} only marks a quiet split idle so it stops holding back the others; when every
 * split is quiet (all partitions silent at night, a paused generator) nothing advances the watermark and open
 * windows never close. Here a split that has seen events and then stays quiet for longer than the idle timeout
 * lets its watermark follow the wall clock from where it stood, as live event time does. A split that has never
 * seen an event is marked idle after the timeout, so it does not hold back the others. The cost: a record that
 * arrives after such a quiet spell, with an event time older than the advanced watermark, is late.
 * Bounded replays do not use this (their end of input closes every window).
 */
public class IdleAdvancingWatermarks<T> implements WatermarkGenerator<T> {
    /** A serialisable wall clock, replaceable in tests. */
    public interface Clock extends LongSupplier, Serializable {}

    private final long outOfOrdernessMs;
    private final long idleTimeoutMs;
    private final LongSupplier clock;
    private final long createdAt;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEventAt = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    public IdleAdvancingWatermarks(long outOfOrdernessMs, long idleTimeoutMs, LongSupplier clock) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.idleTimeoutMs = idleTimeoutMs;
        this.clock = clock;
        this.createdAt = clock.getAsLong();
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE) {
            return; // bad records carry no event time
        }
        maxTimestamp = Math.max(maxTimestamp, eventTimestamp);
        lastEventAt = clock.getAsLong();
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        long now = clock.getAsLong();
        if (lastEventAt == Long.MIN_VALUE) {
            if (now - createdAt > idleTimeoutMs) {
                output.markIdle();
            }
            return;
        }
        long watermark = maxTimestamp - outOfOrdernessMs - 1;
        long quiet = now - lastEventAt;
        if (quiet > idleTimeoutMs) {
            watermark += quiet - idleTimeoutMs;
        }
        if (watermark > lastEmitted) {
            lastEmitted = watermark;
        }
        output.emitWatermark(new Watermark(lastEmitted));
    }
}
