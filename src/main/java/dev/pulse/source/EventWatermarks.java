package dev.pulse.source;

import dev.pulse.events.Envelope;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/** The two watermark strategies, applied once, at the sources (SPEC §2). */
public final class EventWatermarks {
    private EventWatermarks() {}

    /** Bounded inputs (files): bounded out-of-orderness per split, idleness; end of input closes every window. */
    public static WatermarkStrategy<Envelope> bounded(Duration outOfOrderness, Duration idleTimeout) {
        return WatermarkStrategy.<Envelope>forBoundedOutOfOrderness(outOfOrderness)
                .withTimestampAssigner((e, previous) -> e.timestamp())
                .withIdleness(idleTimeout);
    }

    /** Unbounded inputs (generator, Kafka): as above, and quiet splits follow the wall clock. */
    public static WatermarkStrategy<Envelope> live(Duration outOfOrderness, Duration idleTimeout) {
        long ooo = outOfOrderness.toMillis();
        long idle = idleTimeout.toMillis();
        IdleAdvancingWatermarks.Clock clock = System::currentTimeMillis;
        return WatermarkStrategy.<Envelope>forGenerator(ctx -> new IdleAdvancingWatermarks<>(ooo, idle, clock))
                .withTimestampAssigner((e, previous) -> e.timestamp());
    }
}
