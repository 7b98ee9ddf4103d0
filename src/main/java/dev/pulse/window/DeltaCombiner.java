package dev.pulse.window;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.BoundedOneInput;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;

import java.util.HashMap;
import java.util.Map;

/**
 * Adds up row deltas locally, between a per-user step and the shuffle to its rows step, and sends one delta per row
 * key and batch. It holds no state: the batch is sent before every watermark it forwards (so a rows step has every
 * change of the event time a watermark passes before that watermark, exactly as without this step), before every
 * checkpoint barrier (so a checkpoint never covers a change held here), at the end of input, after
 * {@code flushIntervalMs} of processing time (so early results keep flowing while the watermark stands still) and
 * when it holds {@code maxRows} rows.
 */
public class DeltaCombiner<D extends RowDelta<D>> extends AbstractStreamOperator<D>
        implements OneInputStreamOperator<D, D>, BoundedOneInput {
    public static final long FLUSH_INTERVAL_MS = 200;
    public static final int MAX_ROWS = 10_000;

    private final long flushIntervalMs;
    private final int maxRows;
    private transient Map<Object, D> pending;
    private transient long latestTimestamp;
    private transient boolean flushScheduled;

    public DeltaCombiner(long flushIntervalMs, int maxRows) {
        this.flushIntervalMs = flushIntervalMs;
        this.maxRows = maxRows;
    }

    /** {@code deltas} added up per row key before they leave this task. */
    public static <D extends RowDelta<D>> SingleOutputStreamOperator<D> combine(DataStream<D> deltas,
                                                                                TypeInformation<D> type,
                                                                                String uid, String name) {
        return deltas.transform(name, type, new DeltaCombiner<D>(FLUSH_INTERVAL_MS, MAX_ROWS)).uid(uid);
    }

    @Override
    public void open() throws Exception {
        super.open();
        pending = new HashMap<>();
        latestTimestamp = Long.MIN_VALUE;
    }

    @Override
    public void processElement(StreamRecord<D> record) throws Exception {
        D delta = record.getValue();
        D held = pending.putIfAbsent(delta.rowKey(), delta);
        if (held != null) {
            held.absorb(delta);
        }
        if (record.hasTimestamp()) {
            latestTimestamp = Math.max(latestTimestamp, record.getTimestamp());
        }
        if (pending.size() >= maxRows) {
            flush();
        } else if (!flushScheduled) {
            flushScheduled = true;
            long now = getProcessingTimeService().getCurrentProcessingTime();
            getProcessingTimeService().registerTimer(now + flushIntervalMs, time -> {
                flushScheduled = false;
                flush();
            });
        }
    }

    @Override
    public void processWatermark(Watermark mark) throws Exception {
        flush();
        super.processWatermark(mark);
    }

    @Override
    public void prepareSnapshotPreBarrier(long checkpointId) throws Exception {
        flush();
        super.prepareSnapshotPreBarrier(checkpointId);
    }

    @Override
    public void endInput() {
        flush();
    }

    @Override
    public void finish() throws Exception {
        flush();
        super.finish();
    }

    private void flush() {
        if (pending.isEmpty()) {
            return;
        }
        StreamRecord<D> out = latestTimestamp == Long.MIN_VALUE ? new StreamRecord<>(null)
                : new StreamRecord<>(null, latestTimestamp);
        for (D delta : pending.values()) {
            long own = delta.timestamp();
            output.collect(own == Long.MIN_VALUE ? out.replace(delta) : out.replace(delta, own));
        }
        pending.clear();
        latestTimestamp = Long.MIN_VALUE;
    }
}
