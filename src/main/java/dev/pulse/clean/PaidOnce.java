package dev.pulse.clean;

import dev.pulse.events.OrderEvent;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keyed by {@code order_id}, after de-duplication by event id: an order is paid once and cancelled once (SPEC §3).
 * A {@code paid} or {@code cancelled} event of an order that already had one, whatever its event id, is a repeat:
 * dropped and counted with the re-deliveries. It runs before the late filter, so when an order's first paid event
 * is late it still claims the order: the order adds nothing, and its later paid events are repeats, not counted
 * and not in {@code late_events}. "First" is arrival order: the job keeps one order's events in the order the
 * source read them (see {@code PulseJob}). State: the claimed statuses and until when they are kept, in one long per
 * order ({@link ExpiringMarks}): until the watermark passes the latest claim's allowed lateness plus
 * {@code --paid-once-horizon} (event time, so replays clean up too). A repeat arriving after that counts as the
 * order's payment again (or, if its own window is closed, goes to late_events): the horizon is how long a payment
 * system may re-send a paid event.
 */
public class PaidOnce extends ExpiringMarks<OrderEvent> {
    private static final int PAID = 1;
    private static final int CANCELLED = 2;

    private final long windowMs;
    private final long allowedLatenessMs;
    private final long horizonMs;
    private transient Counter repeats;

    public PaidOnce(long windowMs, long allowedLatenessMs, long horizonMs) {
        super("claimed-statuses", sweepInterval(windowMs + allowedLatenessMs + horizonMs));
        this.windowMs = windowMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        repeats = PulseMetrics.counter(getMetricGroup(), "ordersDuplicates");
    }

    /** A mark is (keep-until watermark) << 2 | claimed statuses. */
    @Override
    protected long forgetAt(long mark) {
        return mark >> 2;
    }

    @Override
    public void processElement(StreamRecord<OrderEvent> record) throws Exception {
        OrderEvent event = record.getValue();
        int status = OrderEvent.PAID.equals(event.status) ? PAID : OrderEvent.CANCELLED.equals(event.status) ? CANCELLED : 0;
        if (status != 0) {
            Long before = mark();
            long flags = before == null ? 0 : before & 3;
            long keepUntil = before == null ? Long.MIN_VALUE : forgetAt(before);
            if ((flags & status) != 0) {
                repeats.inc();
                return;
            }
            long until = Math.max(keepUntil, LateFilter.lateFrom(event.eventTime, windowMs, allowedLatenessMs) + horizonMs);
            mark(until << 2 | flags | status);
        }
        output.collect(record);
    }
}
