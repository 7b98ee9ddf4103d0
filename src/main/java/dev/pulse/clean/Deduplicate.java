package dev.pulse.clean;

import dev.pulse.events.Event;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by {@code event_id}: the first delivery passes, re-deliveries are dropped (counted). The seen-marker
 * lives for {@code ttl}, which must cover allowed lateness + the largest window (1 day) + out-of-orderness: a
 * re-delivery after that could only update windows that are already closed. Flink's state TTL runs on
 * processing time, so in a fast replay the marker outlives the whole run. Memory: one small entry per event id
 * seen within the TTL (about 150 bytes on the heap backend).
 */
public class Deduplicate<T extends Event> extends KeyedProcessFunction<String, T, T> {
    private final String stream;
    private final Duration ttl;
    private transient ValueState<Boolean> seen;
    private transient Counter duplicates;

    public Deduplicate(String stream, Duration ttl) {
        this.stream = stream;
        this.ttl = ttl;
    }

    /** The TTL the contract needs for the given options. */
    public static Duration ttlFor(Duration allowedLateness, Duration outOfOrderness) {
        return Duration.ofDays(1).plus(allowedLateness).plus(outOfOrderness);
    }

    /** Markers expire {@code ttl} after they were written, and an expired one is never seen again. */
    static StateTtlConfig ttlConfig(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .build();
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Boolean> descriptor = new ValueStateDescriptor<>("seen", Boolean.class);
        descriptor.enableTimeToLive(ttlConfig(ttl));
        seen = getRuntimeContext().getState(descriptor);
        duplicates = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), stream + "Duplicates");
    }

    @Override
    public void processElement(T event, Context ctx, Collector<T> out) throws Exception {
        if (seen.value() != null) {
            duplicates.inc();
            return;
        }
        seen.update(Boolean.TRUE);
        out.collect(event);
    }
}
