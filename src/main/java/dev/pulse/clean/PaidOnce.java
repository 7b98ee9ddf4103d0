package dev.pulse.clean;

import dev.pulse.events.OrderEvent;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;


/**
 * Keyed by {@code order_id}, after de-duplication by event id: an order is paid once and cancelled once (SPEC §3).
 * A {@code paid} or {@code cancelled} event of an order that already had one, whatever its event id, is a repeat:
 * dropped and counted with the re-deliveries. It runs before the late filter, so when an order's first paid event
 * is late it still claims the order: the order adds nothing, and its later paid events are repeats, not counted
 * and not in {@code late_events}. "First" is arrival order: the job keeps one order's events in the order the
 * source read them (see {@code PulseJob}). State: the claimed statuses and until when they are kept, in one long per
 * order, with one timer: until the watermark passes the latest claim's allowed lateness plus
 * {@code --paid-once-horizon} (event time, so replays clean up too). A repeat arriving after that counts as the
 * order's payment again (or, if its own window is closed, goes to late_events): the horizon is how long a payment
 * system may re-send a paid event.
 */
public class PaidOnce extends KeyedProcessFunction<Long, OrderEvent, OrderEvent> {
    private static final int PAID = 1;
    private static final int CANCELLED = 2;

    private final long windowMs;
    private final long allowedLatenessMs;
    private final long horizonMs;
    /** (keep-until watermark) << 2 | claimed statuses. */
    private transient ValueState<Long> claimed;
    private transient Counter repeats;

    public PaidOnce(long windowMs, long allowedLatenessMs, long horizonMs) {
        this.windowMs = windowMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open(OpenContext openContext) {
        claimed = getRuntimeContext().getState(new ValueStateDescriptor<>("claimed-statuses", Types.LONG));
        repeats = PulseMetrics.counter(getRuntimeContext().getMetricGroup(), "ordersDuplicates");
    }

    @Override
    public void processElement(OrderEvent event, Context ctx, Collector<OrderEvent> out) throws Exception {
        int status = OrderEvent.PAID.equals(event.status) ? PAID : OrderEvent.CANCELLED.equals(event.status) ? CANCELLED : 0;
        if (status != 0) {
            Long before = claimed.value();
            long flags = before == null ? 0 : before & 3;
            long keepUntil = before == null ? Long.MIN_VALUE : before >> 2;
            if ((flags & status) != 0) {
                repeats.inc();
                return;
            }
            long until = Math.max(keepUntil, LateFilter.lateFrom(event.eventTime, windowMs, allowedLatenessMs) + horizonMs);
            claimed.update(until << 2 | flags | status);
            ctx.timerService().registerEventTimeTimer(until);
        }
        out.collect(event);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<OrderEvent> out) throws Exception {
        Long state = claimed.value();
        if (state != null && timestamp >= state >> 2) {
            claimed.clear();
        }
    }
}
