package dev.pulse.sink;

import dev.pulse.events.DeadLetter;
import dev.pulse.events.LateEvent;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.WindowRow;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;

/** The PostgreSQL sinks of every table, from one {@link JdbcSettings}: metric tables from their {@link SinkTable}. */
public final class PostgresSinks implements TableSinks {
    private static final long serialVersionUID = 1L;

    public static final int BATCH_SIZE = 2000;
    public static final long FLUSH_INTERVAL_MS = 1000;
    private static final int MAX_RETRIES = 5;

    /** A re-read dead letter (same stream, source and payload) is written once; another record at that source is new. */
    static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters (stream, reason, payload, source) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (stream, source, payload_md5) DO NOTHING";

    static final String INSERT_LATE_EVENT = "INSERT INTO late_events (stream, event_id, event_time, payload, watermark) "
            + "VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (stream, event_id) DO NOTHING";

    private final JdbcSettings jdbc;

    public PostgresSinks(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    /**
     * The upsert of one metric table, from its descriptor. A row once final stays final
     * ({@link SinkTable#STICKY_FINAL}): after a restore an operator starts without a watermark, so the first early
     * result it re-emits for a window that was already final (a late update pending at the checkpoint) would carry
     * is_final = false, and that window's end has passed, so nothing would finalise it again. The values still take
     * the newest write.
     */
    @Override
    public <T extends WindowRow> Sink<T> upsert(SinkTable<T> table) {
        String sql = table.upsertSql();
        JdbcSink<T> writer = JdbcSink.<T>builder()
                .withQueryStatement(sql, table::bind)
                // UpsertSink decides batch boundaries, so the wrapped writer never flushes on its own.
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(Integer.MAX_VALUE)
                        .withBatchIntervalMs(0)
                        .withMaxRetries(MAX_RETRIES)
                        .build())
                .buildAtLeastOnce(jdbc.connectionOptions());
        Sink<T> sink = new FailFastSink<>(new UpsertSink<>(writer, table::primaryKey, BATCH_SIZE, FLUSH_INTERVAL_MS,
                table.rowsMetric()), table.name());
        // Retention of the 1-minute grain runs hourly beside one sink, the first order_metrics writer.
        return table.name().equals("order_metrics") ? MinuteGrainPruning.periodic(sink, jdbc) : sink;
    }

    public Sink<DeadLetter> deadLetters() {
        return insert(INSERT_DEAD_LETTER, (ps, d) -> {
            ps.setString(1, d.stream);
            ps.setString(2, d.reason);
            ps.setString(3, d.payload);
            ps.setString(4, d.source);
        });
    }

    public Sink<LateEvent> lateEvents() {
        return insert(INSERT_LATE_EVENT, (ps, e) -> {
            ps.setString(1, e.stream);
            ps.setString(2, e.eventId);
            ps.setObject(3, time(e.eventTime));
            ps.setString(4, e.payload);
            ps.setObject(5, time(e.watermark));
        });
    }

    private <T> Sink<T> insert(String sql, JdbcStatementBuilder<T> statement) {
        JdbcSink<T> writer = JdbcSink.<T>builder()
                .withQueryStatement(sql, statement)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH_SIZE)
                        .withBatchIntervalMs(FLUSH_INTERVAL_MS)
                        .withMaxRetries(MAX_RETRIES)
                        .build())
                .buildAtLeastOnce(jdbc.connectionOptions());
        // At-least-once: the writer keeps no state and commits nothing, so the plain Sink wrapper loses nothing.
        return new FailFastSink<>(writer, FailFastSink.tableOf(sql));
    }

    static OffsetDateTime time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

}
