package dev.pulse.clean;

import dev.pulse.events.Event;

import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

/**
 * Keyed by {@code event_id}: the first delivery passes, re-deliveries are dropped (counted). The marker is kept by
 * event time, exactly as long as a copy could still change a result, plus a horizon: from the watermark at which the
 * event's own 1-minute window is past its allowed lateness, the late filter sets aside any copy, so nothing can be
 * counted twice; the horizon ({@code --dedupe-horizon}) keeps recognising copies a while longer, so a producer's
 * ordinary re-delivery is counted as one, not as a late event. A copy arriving after that goes to late_events (its
 * original was counted). Replays clean up too (event time, not the wall clock). Memory: one marker ({@link ExpiringMarks}) per
 * event id within lateness + horizon of the watermark, and at most a sweep interval more.
 */
public class Deduplicate<T extends Event> extends ExpiringMarks<T> {
    private final String stream;
    private final long windowMs;
    private final long allowedLatenessMs;
    private final long horizonMs;
    private transient Counter duplicates;

    public Deduplicate(String stream, long windowMs, long allowedLatenessMs, long horizonMs) {
        super("forget-at", sweepInterval(windowMs + allowedLatenessMs + horizonMs));
        this.stream = stream;
        this.windowMs = windowMs;
        this.allowedLatenessMs = allowedLatenessMs;
        this.horizonMs = horizonMs;
    }

    @Override
    public void open() throws Exception {
        super.open();
        duplicates = PulseMetrics.counter(getMetricGroup(), stream + "Duplicates");
    }

    /** The watermark from which this event's marker can go. */
    long forgetAfter(long eventTime) {
        return LateFilter.lateFrom(eventTime, windowMs, allowedLatenessMs) + horizonMs;
    }

    @Override
    protected long forgetAt(long mark) {
        return mark;
    }

    @Override
    public void processElement(StreamRecord<T> record) throws Exception {
        if (mark() != null) {
            duplicates.inc();
            return;
        }
        mark(forgetAfter(record.getValue().eventTime));
        output.collect(record);
    }
}
