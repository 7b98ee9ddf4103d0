package dev.pulse.clean;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

import java.time.Duration;

/**
 * Keyed by {@code order_id}: drops re-deliveries (an {@code event_id} already seen for this order) and repeats
 * (SPEC §3, "an order is paid once": a {@code paid} or {@code cancelled} event of an order that already had one,
 * whatever its event_id). Both are counted as re-deliveries. It runs before the late filter, so when an
 * order's first paid event is late it still claims the order: the order adds nothing, and its later paid events
 * are repeats, not counted and not in {@code late_events}.
 *
 * <p>Keying by order rather than by event id keeps "first in arrival order" exact: all events of one order
 * reach this step over one channel, in the order the source read them (one file reader per stream; one Kafka
 * partition per order key). State: the order's event ids and two flags, expiring like {@link Deduplicate}'s.
 */
public class DeduplicateOrders extends KeyedProcessFunction<Long, OrderEvent, OrderEvent> {
    private static final int PAID = 1;
    private static final int CANCELLED = 2;

    private final Duration ttl;
    private transient MapState<String, Boolean> seenEvents;
    private transient ValueState<Integer> claimed;
    private transient Counter duplicates;

    public DeduplicateOrders(Duration ttl) {
        this.ttl = ttl;
    }

    @Override
    public void open(OpenContext openContext) {
        MapStateDescriptor<String, Boolean> events = new MapStateDescriptor<>("seen-event-ids", Types.STRING, Types.BOOLEAN);
        events.enableTimeToLive(Deduplicate.ttlConfig(ttl));
        seenEvents = getRuntimeContext().getMapState(events);
        ValueStateDescriptor<Integer> flags = new ValueStateDescriptor<>("claimed-statuses", Types.INT);
        flags.enableTimeToLive(Deduplicate.ttlConfig(ttl));
        claimed = getRuntimeContext().getState(flags);
        duplicates = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), "ordersDuplicates");
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<OrderEvent> out) throws Exception {
        if (seenEvents.contains(event.eventId)) {
            duplicates.inc();
            return;
        }
        seenEvents.put(event.eventId, Boolean.TRUE);
        int status = OrderEvent.PAID.equals(event.status) ? PAID : OrderEvent.CANCELLED.equals(event.status) ? CANCELLED : 0;
        if (status != 0) {
            Integer before = claimed.value();
            int flags = before == null ? 0 : before;
            if ((flags & status) != 0) {
                duplicates.inc();
                return;
            }
            claimed.update(flags | status);
        }
        out.collect(event);
    }
}
