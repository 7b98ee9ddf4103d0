package dev.pulse.source;

import dev.pulse.events.Envelope;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;

import java.time.Duration;

/** The two watermark strategies, applied once, at the sources (SPEC §2). */
public final class EventWatermarks {
    private EventWatermarks() {}

    /** Watermarks of a replay advance in steps of this much event time. */
    public static final Duration REPLAY_STEP = Duration.ofSeconds(1);

    /**
     * Bounded inputs (files): bounded out-of-orderness per split, emitted from the data alone so a replay is
     * deterministic; end of input closes every window. No idleness: a file is never waiting for data.
     */
    public static WatermarkStrategy<Envelope> bounded(Duration outOfOrderness) {
        long ooo = outOfOrderness.toMillis();
        long step = REPLAY_STEP.toMillis();
        return WatermarkStrategy.<Envelope>forGenerator(ctx -> new DataDrivenWatermarks<>(ooo, step))
                .withTimestampAssigner((e, previous) -> e.timestamp());
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
