package dev.pulse.sink;

import dev.pulse.clean.PulseMetrics;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;
import org.apache.flink.metrics.Counter;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Upserts rows into one table through flink-connector-jdbc's Sink V2 writer, keeping only the last value per
 * primary key in each batch. Early results rewrite the same key several times; a multi-row upsert that holds a
 * key twice fails in PostgreSQL ("ON CONFLICT DO UPDATE command cannot affect row a second time"), and the
 * older values are dead weight anyway. The wrapped writer does the JDBC work (batch execution, retries with
 * reconnect); this writer decides when a batch goes: at {@code batchSize} distinct keys, every
 * {@code flushIntervalMs}, and at every checkpoint and end of input, so the sink is at-least-once. Because each
 * row carries a window's full value, writing it again after a restore leaves the same row (idempotent).
 */
public class UpsertSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final JdbcSink<T> jdbc;
    private final KeySelector<T, Object> primaryKey;
    private final int batchSize;
    private final long flushIntervalMs;
    private final String rowsMetric;

    public UpsertSink(JdbcSink<T> jdbc, KeySelector<T, Object> primaryKey, int batchSize, long flushIntervalMs,
                      String rowsMetric) {
        this.jdbc = jdbc;
        this.primaryKey = primaryKey;
        this.batchSize = batchSize;
        this.flushIntervalMs = flushIntervalMs;
        this.rowsMetric = rowsMetric;
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        Counter rows = PulseMetrics.counter(context.metricGroup(), rowsMetric);
        return new CollapsingWriter<>(jdbc.createWriter(context), primaryKey, batchSize, flushIntervalMs,
                context.getProcessingTimeService(), rows);
    }

    static final class CollapsingWriter<T> implements SinkWriter<T> {
        private final SinkWriter<T> inner;
        private final KeySelector<T, Object> primaryKey;
        private final int batchSize;
        private final long flushIntervalMs;
        private final ProcessingTimeService timers;
        private final Counter rows;
        private final Map<Object, T> pending = new LinkedHashMap<>();
        private IOException timerFailure;

        CollapsingWriter(SinkWriter<T> inner, KeySelector<T, Object> primaryKey, int batchSize, long flushIntervalMs,
                         ProcessingTimeService timers, Counter rows) {
            this.inner = inner;
            this.primaryKey = primaryKey;
            this.batchSize = batchSize;
            this.flushIntervalMs = flushIntervalMs;
            this.timers = timers;
            this.rows = rows;
            schedule();
        }

        private void schedule() {
            timers.registerTimer(timers.getCurrentProcessingTime() + flushIntervalMs, t -> {
                try {
                    send();
                } catch (IOException e) {
                    // The connector has retried this batch already: fail at the next write or flush (checkpoint,
                    // end of input) instead of sending the same batch again every interval meanwhile.
                    timerFailure = e;
                    return;
                }
                schedule();
            });
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            checkTimerFailure();
            Object key;
            try {
                key = primaryKey.getKey(element);
            } catch (Exception e) {
                throw new IOException("cannot take the primary key of " + element, e);
            }
            pending.put(key, element);
            if (pending.size() >= batchSize) {
                send();
            }
        }

        private void send() throws IOException {
            if (pending.isEmpty()) {
                return;
            }
            try {
                for (T row : pending.values()) {
                    inner.write(row, NO_CONTEXT);
                }
                inner.flush(false);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while writing", e);
            }
            rows.inc(pending.size());
            pending.clear();
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            checkTimerFailure();
            send();
            inner.flush(endOfInput);
        }

        private void checkTimerFailure() throws IOException {
            if (timerFailure != null) {
                throw timerFailure;
            }
        }

        @Override
        public void close() throws Exception {
            inner.close();
        }

        private static final Context NO_CONTEXT = new Context() {
            @Override
            public long currentWatermark() {
                return Long.MIN_VALUE;
            }

            @Override
            public Long timestamp() {
                return null;
            }
        };
    }
}
