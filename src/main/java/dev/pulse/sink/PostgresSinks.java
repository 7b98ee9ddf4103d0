package dev.pulse.sink;

import dev.pulse.events.DeadLetter;
import dev.pulse.events.LateEvent;
import dev.pulse.funnel.FunnelMetricRow;
import dev.pulse.orders.OrderMetricRow;
import dev.pulse.payments.PaymentMetricRow;
import dev.pulse.sessions.SessionFunnelRow;
import dev.pulse.sliding.GmvSlidingRow;
import dev.pulse.sliding.TopProductRow;

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

    /**
     * A row once final stays final: after a restore an operator starts without a watermark, so the first early
     * result it re-emits for a window that was already final (a late update pending at the checkpoint) would carry
     * is_final = false, and that window's end has passed, so nothing would finalise it again. The values still
     * take the newest write.
     */
    static final String STICKY_FINAL = "is_final = t.is_final OR EXCLUDED.is_final";

    static final String UPSERT_ORDER_METRICS = "INSERT INTO order_metrics AS t (grain, window_start, window_end, region, "
            + "city, orders, gmv, avg_order_value, items, unique_buyers, cancelled_orders, cancelled_amount, is_final, "
            + "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
            + "ON CONFLICT (grain, window_start, region, city) DO UPDATE SET window_end = EXCLUDED.window_end, "
            + "orders = EXCLUDED.orders, gmv = EXCLUDED.gmv, avg_order_value = EXCLUDED.avg_order_value, "
            + "items = EXCLUDED.items, unique_buyers = EXCLUDED.unique_buyers, "
            + "cancelled_orders = EXCLUDED.cancelled_orders, cancelled_amount = EXCLUDED.cancelled_amount, "
            + STICKY_FINAL + ", updated_at = EXCLUDED.updated_at";

    static final String UPSERT_GMV_SLIDING = upsertSql("gmv_sliding",
            List.of("window_size_s", "window_end"),
            List.of("window_start", "orders", "gmv", "unique_buyers", "is_final"));
    static final String UPSERT_TOP_PRODUCTS = upsertSql("top_products",
            List.of("window_size_s", "window_end", "rank"),
            List.of("window_start", "product_id", "product_name", "orders", "items", "gmv", "is_final"));
    static final String UPSERT_FUNNEL_METRICS = upsertSql("funnel_metrics",
            List.of("grain", "window_start"),
            List.of("window_end", "viewers", "carters", "checkouts", "purchasers", "conversion_rate", "is_final"));
    static final String UPSERT_SESSION_FUNNEL = upsertSql("session_funnel",
            List.of("window_start", "device_type"),
            List.of("window_end", "sessions", "bounced_sessions", "reached_view", "reached_cart", "reached_checkout",
                    "reached_purchase", "avg_duration_s", "avg_events", "is_final"));
    static final String UPSERT_PAYMENT_METRICS = upsertSql("payment_metrics",
            List.of("window_start", "method"),
            List.of("window_end", "attempts", "succeeded", "failed", "success_rate", "amount_succeeded", "is_final"));

    /** {@code INSERT ... ON CONFLICT (key) DO UPDATE SET col = EXCLUDED.col} ({@link #STICKY_FINAL}); parameters: key columns, then values. */
    static String upsertSql(String table, List<String> key, List<String> values) {
        List<String> columns = new java.util.ArrayList<>(key);
        columns.addAll(values);
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(table).append(" AS t (")
                .append(String.join(", ", columns)).append(", updated_at) VALUES (")
                .append("?, ".repeat(columns.size())).append("now()) ON CONFLICT (")
                .append(String.join(", ", key)).append(") DO UPDATE SET ");
        for (String v : values) {
            sql.append(v.equals("is_final") ? STICKY_FINAL : v + " = EXCLUDED." + v).append(", ");
        }
        return sql.append("updated_at = EXCLUDED.updated_at").toString();
    }

    /** A re-read dead letter (same stream, source and payload) is written once; another record at that source is new. */
    static final String INSERT_DEAD_LETTER = "INSERT INTO dead_letters (stream, reason, payload, source) "
            + "VALUES (?, ?, ?, ?) ON CONFLICT (stream, source, payload_md5) DO NOTHING";

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
            decimal(ps, 8, r.avgOrderValue);
            ps.setLong(9, r.items);
            ps.setLong(10, r.uniqueBuyers);
            ps.setLong(11, r.cancelledOrders);
            ps.setBigDecimal(12, r.cancelledAmount);
            ps.setBoolean(13, r.isFinal);
        };
        return upsert(UPSERT_ORDER_METRICS, statement,
                r -> List.of(r.grain, r.windowStart, r.region, r.city), "orderMetricsRows");
    }

    public Sink<GmvSlidingRow> gmvSliding() {
        return upsert(UPSERT_GMV_SLIDING, (ps, r) -> {
            ps.setInt(1, (int) r.windowSizeS);
            ps.setObject(2, time(r.windowEnd));
            ps.setObject(3, time(r.windowStart));
            ps.setLong(4, r.orders);
            ps.setBigDecimal(5, r.gmv);
            ps.setLong(6, r.uniqueBuyers);
            ps.setBoolean(7, r.isFinal);
        }, r -> List.of(r.windowSizeS, r.windowEnd), "gmvSlidingRows");
    }

    public Sink<TopProductRow> topProducts() {
        return upsert(UPSERT_TOP_PRODUCTS, (ps, r) -> {
            ps.setInt(1, (int) r.windowSizeS);
            ps.setObject(2, time(r.windowEnd));
            ps.setInt(3, r.rank);
            ps.setObject(4, time(r.windowStart));
            ps.setLong(5, r.productId);
            ps.setString(6, r.productName);
            ps.setLong(7, r.orders);
            ps.setLong(8, r.items);
            ps.setBigDecimal(9, r.gmv);
            ps.setBoolean(10, r.isFinal);
        }, r -> List.of(r.windowSizeS, r.windowEnd, r.rank), "topProductsRows");
    }

    public Sink<FunnelMetricRow> funnelMetrics() {
        return upsert(UPSERT_FUNNEL_METRICS, (ps, r) -> {
            ps.setString(1, r.grain);
            ps.setObject(2, time(r.windowStart));
            ps.setObject(3, time(r.windowEnd));
            ps.setLong(4, r.viewers);
            ps.setLong(5, r.carters);
            ps.setLong(6, r.checkouts);
            ps.setLong(7, r.purchasers);
            decimal(ps, 8, r.conversionRate);
            ps.setBoolean(9, r.isFinal);
        }, r -> List.of(r.grain, r.windowStart), "funnelMetricsRows");
    }

    public Sink<SessionFunnelRow> sessionFunnel() {
        return upsert(UPSERT_SESSION_FUNNEL, (ps, r) -> {
            ps.setObject(1, time(r.windowStart));
            ps.setString(2, r.deviceType);
            ps.setObject(3, time(r.windowEnd));
            ps.setLong(4, r.sessions);
            ps.setLong(5, r.bouncedSessions);
            ps.setLong(6, r.reachedView);
            ps.setLong(7, r.reachedCart);
            ps.setLong(8, r.reachedCheckout);
            ps.setLong(9, r.reachedPurchase);
            decimal(ps, 10, r.avgDurationS);
            decimal(ps, 11, r.avgEvents);
            ps.setBoolean(12, r.isFinal);
        }, r -> List.of(r.windowStart, r.deviceType), "sessionFunnelRows");
    }

    public Sink<PaymentMetricRow> paymentMetrics() {
        return upsert(UPSERT_PAYMENT_METRICS, (ps, r) -> {
            ps.setObject(1, time(r.windowStart));
            ps.setString(2, r.method);
            ps.setObject(3, time(r.windowEnd));
            ps.setLong(4, r.attempts);
            ps.setLong(5, r.succeeded);
            ps.setLong(6, r.failed);
            decimal(ps, 7, r.successRate);
            ps.setBigDecimal(8, r.amountSucceeded);
            ps.setBoolean(9, r.isFinal);
        }, r -> List.of(r.windowStart, r.method), "paymentMetricsRows");
    }

    private static void decimal(java.sql.PreparedStatement ps, int index, java.math.BigDecimal value)
            throws java.sql.SQLException {
        if (value == null) {
            ps.setNull(index, Types.NUMERIC);
        } else {
            ps.setBigDecimal(index, value);
        }
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
        return new FailFastSink<>(new UpsertSink<>(writer, key, BATCH_SIZE, FLUSH_INTERVAL_MS, rowsMetric),
                FailFastSink.tableOf(sql));
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
