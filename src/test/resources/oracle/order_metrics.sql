-- order_metrics (SPEC §3) in plain SQL: GMV from 'paid' events, cancellations apart, tumbling windows from
-- date_bin (epoch, UTC), rollups (*,*), (region,*), (region,city).
WITH counted AS (
    SELECT * FROM oracle.orders WHERE status IN ('paid', 'cancelled')
), levels AS (
    SELECT t, order_id, user_id, quantity, amount, status, '*' AS region, '*' AS city FROM counted
    UNION ALL SELECT t, order_id, user_id, quantity, amount, status, region, '*' FROM counted
    UNION ALL SELECT t, order_id, user_id, quantity, amount, status, region, city FROM counted
), grains(grain, size) AS (
    VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour'), ('1d', interval '1 day')
), metrics AS (
    SELECT g.grain, date_bin(g.size, l.t, timestamptz '1970-01-01 00:00:00+00') AS window_start, g.size,
           l.region, l.city,
           count(DISTINCT l.order_id) FILTER (WHERE l.status = 'paid') AS orders,
           coalesce(sum(l.amount) FILTER (WHERE l.status = 'paid'), 0) AS gmv,
           round(sum(l.amount) FILTER (WHERE l.status = 'paid')
                 / nullif(count(*) FILTER (WHERE l.status = 'paid'), 0), 2) AS avg_order_value,
           coalesce(sum(l.quantity) FILTER (WHERE l.status = 'paid'), 0) AS items,
           count(DISTINCT l.user_id) FILTER (WHERE l.status = 'paid') AS unique_buyers,
           count(*) FILTER (WHERE l.status = 'cancelled') AS cancelled_orders,
           coalesce(sum(l.amount) FILTER (WHERE l.status = 'cancelled'), 0) AS cancelled_amount
    FROM levels l CROSS JOIN grains g
    GROUP BY 1, 2, 3, 4, 5
)
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS window_start,
       to_char((window_start + size) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS') AS window_end,
       region, city, orders, trim_scale(gmv), trim_scale(avg_order_value), items, unique_buyers,
       cancelled_orders, trim_scale(cancelled_amount)
FROM metrics
ORDER BY 1, 2, 4, 5;
