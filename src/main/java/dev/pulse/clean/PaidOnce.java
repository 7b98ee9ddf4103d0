package dev.pulse.clean;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by {@code order_id}, after de-duplication by event id: an order is paid once and cancelled once (SPEC §3).
 * A {@code paid} or {@code cancelled} event of an order that already had one, whatever its event id, is a repeat:
 * dropped and counted with the re-deliveries. It runs before the late filter, so when an order's first paid event
 * is late it still claims the order: the order adds nothing, and its later paid events are repeats, not counted
 * and not in {@code late_events}. "First" is arrival order: the job keeps one order's events in the order the
 * source read them (see {@code PulseJob}). State: two flags per order, expiring like {@link Deduplicate}'s markers.
 */
public class PaidOnce extends KeyedProcessFunction<Long, OrderEvent, OrderEvent> {
    private static final int PAID = 1;
    private static final int CANCELLED = 2;

    private final Duration ttl;
    private transient ValueState<Integer> claimed;
    private transient Counter repeats;

    public PaidOnce(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        ValueStateDescriptor<Integer> flags = new ValueStateDescriptor<>("claimed-statuses", Types.INT);
        flags.enableTimeToLive(Deduplicate.ttlConfig(ttl));
        claimed = getRuntimeContext().getState(flags);
        repeats = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), "ordersDuplicates");
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<OrderEvent> out) throws Exception {
        int status = OrderEvent.PAID.equals(event.status) ? PAID : OrderEvent.CANCELLED.equals(event.status) ? CANCELLED : 0;
        if (status != 0) {
            Integer before = claimed.value();
            int flags = before == null ? 0 : before;
            if ((flags & status) != 0) {
                repeats.inc();
                return;
            }
            claimed.update(flags | status);
        }
        out.collect(event);
    }
}
