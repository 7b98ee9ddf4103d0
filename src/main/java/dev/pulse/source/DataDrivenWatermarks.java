package dev.pulse.source;

import org.apache.flink.api.common.eventtime.Watermark;
import org.apache.flink.api.common.eventtime.WatermarkGenerator;
import org.apache.flink.api.common.eventtime.WatermarkOutput;

/**
 * Bounded out-of-orderness for replays, driven only by the data: the watermark is emitted from {@code onEvent}
 * whenever it has advanced by at least {@code stepMs}, never on a processing-time schedule. So whether a record is
 * late depends on the file's contents and order alone, and replaying the same files gives the same tables however
 * fast they are read. (Flink's periodic emission would judge lateness by how much was read in each 200 ms.)
 */
public class DataDrivenWatermarks<T> implements WatermarkGenerator<T> {
    private final long outOfOrdernessMs;
    private final long stepMs;
    private long maxTimestamp = Long.MIN_VALUE;
    private long lastEmitted = Long.MIN_VALUE;

    public DataDrivenWatermarks(long outOfOrdernessMs, long stepMs) {
        this.outOfOrdernessMs = outOfOrdernessMs;
        this.stepMs = stepMs;
    }

    @Override
    public void onEvent(T event, long eventTimestamp, WatermarkOutput output) {
        if (eventTimestamp == Long.MIN_VALUE || eventTimestamp <= maxTimestamp) {
            return;
        }
        maxTimestamp = eventTimestamp;
        long watermark = maxTimestamp - outOfOrdernessMs - 1;
        if (lastEmitted == Long.MIN_VALUE || watermark >= lastEmitted + stepMs) {
            lastEmitted = watermark;
            output.emitWatermark(new Watermark(watermark));
        }
    }

    @Override
    public void onPeriodicEmit(WatermarkOutput output) {
        // Deliberately nothing: see the class comment. End of input emits the final watermark.
    }
}
