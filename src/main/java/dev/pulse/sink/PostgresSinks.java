package dev.pulse.sink;

import dev.pulse.events.DeadLetter;
import dev.pulse.events.LateEvent;
import dev.pulse.orders.OrderMetricRow;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcExecutionOptions;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

import java.io.Serializable;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

/** The PostgreSQL sinks of every table, from one {@link JdbcSettings}. */
public final class PostgresSinks implements Serializable {
    private static final long serialVersionUID = 1L;

    public static final int BATCH_SIZE = 2000;
    public static final long FLUSH_INTERVAL_MS = 1000;
    private static final int MAX_RETRIES = 5;

    static final String UPSERT_ORDER_METRICS = "INSERT INTO order_metrics (grain, window_start, window_end, region, "
            + "city, orders, gmv, avg_order_value, items, unique_buyers, cancelled_orders, cancelled_amount, is_final, "
            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (grain, window_start, region, city) DO UPDATE SET window_end = EXCLUDED.window_end, "
            + "orders = EXCLUDED.orders, gmv = EXCLUDED.gmv, avg_order_value = EXCLUDED.avg_order_value, "
            + "items = EXCLUDED.items, unique_buyers = EXCLUDED.unique_buyers, "
            + "cancelled_orders = EXCLUDED.cancelled_orders, cancelled_amount = EXCLUDED.cancelled_amount, "
            + "is_final = EXCLUDED.is_final, updated_at = EXCLUDED.updated_at";

    /** A re-delivered dead letter (same stream and source) is written once. */
    static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters (stream, reason, payload, source) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (stream, source) DO NOTHING";

    static final String INSERT_LATE_EVENT = "INSERT INTO late_events (stream, event_id, event_time, payload, watermark) "
            + "VALUES (?, ?, ?, ?::jsonb, ?) ON CONFLICT (stream, event_id) DO NOTHING";

    private final JdbcSettings jdbc;

    public PostgresSinks(JdbcSettings jdbc) {
        this.jdbc = jdbc;
    }

    public Sink<OrderMetricRow> orderMetrics() {
        JdbcStatementBuilder<OrderMetricRow> statement = (ps, r) -> {
            ps.setString(1, r.grain);
            ps.setObject(2, time(r.windowStart));
            ps.setObject(3, time(r.windowEnd));
            ps.setString(4, r.region);
            ps.setString(5, r.city);
            ps.setLong(6, r.orders);
            ps.setBigDecimal(7, r.gmv);
            if (r.avgOrderValue == null) {
                ps.setNull(8, Types.NUMERIC);
            } else {
                ps.setBigDecimal(8, r.avgOrderValue);
            }
            ps.setLong(9, r.items);
            ps.setLong(10, r.uniqueBuyers);
            ps.setLong(11, r.cancelledOrders);
            ps.setBigDecimal(12, r.cancelledAmount);
            ps.setBoolean(13, r.isFinal);
        };
        return upsert(UPSERT_ORDER_METRICS, statement,
                r -> List.of(r.grain, r.windowStart, r.region, r.city), "orderMetricsRows");
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

    private <T> Sink<T> upsert(String sql, JdbcStatementBuilder<T> statement,
                               org.apache.flink.api.java.functions.KeySelector<T, Object> key, String rowsMetric) {
        JdbcSink<T> writer = JdbcSink.<T>builder()
                .withQueryStatement(sql, statement)
                // UpsertSink decides batch boundaries, so the wrapped writer never flushes on its own.
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(Integer.MAX_VALUE)
                        .withBatchIntervalMs(0)
                        .withMaxRetries(MAX_RETRIES)
                        .build())
                .buildAtLeastOnce(jdbc.connectionOptions());
        return new UpsertSink<>(writer, key, BATCH_SIZE, FLUSH_INTERVAL_MS, rowsMetric);
    }

    private <T> Sink<T> insert(String sql, JdbcStatementBuilder<T> statement) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, statement)
                .withExecutionOptions(JdbcExecutionOptions.builder()
                        .withBatchSize(BATCH_SIZE)
                        .withBatchIntervalMs(FLUSH_INTERVAL_MS)
                        .withMaxRetries(MAX_RETRIES)
                        .build())
                .buildAtLeastOnce(jdbc.connectionOptions());
    }

    static OffsetDateTime time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).atOffset(ZoneOffset.UTC);
    }

}
