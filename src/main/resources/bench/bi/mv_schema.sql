-- bin/pulse-bi-bench, baseline 2: materialized views over the raw events of pulse_raw, refreshed every minute
-- (REFRESH MATERIALIZED VIEW CONCURRENTLY, in a loop while the clients run), shaped like the sink tables and named
-- like them, so that bi_views.sql and bi_dashboard.sql are installed here unchanged: the screen asks the very same
-- SQL. Each view holds only what a screen reads (the hours back to the start of today or 24 h, whichever is
-- earlier; the sliding windows of the last hour), so that a refresh stays cheap. Schema pulse_mv.
DROP SCHEMA IF EXISTS pulse_mv CASCADE;
CREATE SCHEMA pulse_mv;
SET search_path TO pulse_mv;

-- The span a refresh recomputes: from the start of as_of's day or of the hour 24 h back, whichever is earlier.
CREATE FUNCTION horizon(p_as_of timestamptz) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT least(date_bin('1 day', p_as_of - interval '1 minute', timestamptz 'epoch'),
                 date_bin('1 hour', p_as_of - interval '24 hours', timestamptz 'epoch'))
$$;

CREATE MATERIALIZED VIEW order_metrics AS
WITH a AS MATERIALIZED (SELECT pulse_raw.bi_now() AS as_of),
o AS (SELECT a.as_of, o.* FROM a JOIN pulse_raw.orders o ON o.event_time >= horizon(a.as_of) AND o.event_time < a.as_of
      WHERE o.status IN ('paid', 'cancelled'))
SELECT g.grain, date_bin(g.len, o.event_time, timestamptz 'epoch') AS window_start,
       date_bin(g.len, o.event_time, timestamptz 'epoch') + g.len AS window_end,
       CASE WHEN grouping(o.region) = 1 THEN '*' ELSE o.region END AS region,
       CASE WHEN grouping(o.city) = 1 THEN '*' ELSE o.city END AS city,
       count(*) FILTER (WHERE o.status = 'paid') AS orders, coalesce(sum(o.amount) FILTER (WHERE o.status = 'paid'), 0) AS gmv,
       round(sum(o.amount) FILTER (WHERE o.status = 'paid') / nullif(count(*) FILTER (WHERE o.status = 'paid'), 0), 2) AS avg_order_value,
       coalesce(sum(o.quantity) FILTER (WHERE o.status = 'paid'), 0) AS items,
       count(DISTINCT o.user_id) FILTER (WHERE o.status = 'paid') AS unique_buyers,
       count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders,
       coalesce(sum(o.amount) FILTER (WHERE o.status = 'cancelled'), 0) AS cancelled_amount,
       date_bin(g.len, o.event_time, timestamptz 'epoch') + g.len <= min(o.as_of) - interval '1 minute' AS is_final,
       now() AS updated_at
FROM o JOIN (VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour'), ('1d', interval '1 day')) AS g(grain, len)
  ON g.grain <> '1d' OR o.event_time >= date_bin('1 day', o.as_of - interval '1 minute', timestamptz 'epoch')
GROUP BY g.grain, g.len, date_bin(g.len, o.event_time, timestamptz 'epoch'), GROUPING SETS ((), (o.region), (o.region, o.city));
CREATE UNIQUE INDEX order_metrics_key ON order_metrics (grain, window_start, region, city);
CREATE INDEX order_metrics_recent ON order_metrics (grain, window_end DESC);

-- Sliding windows ending in the last hour (5 min every minute; 1 h every 5 minutes), and the open one.
CREATE MATERIALIZED VIEW gmv_sliding AS
WITH a AS MATERIALIZED (SELECT pulse_raw.bi_now() AS as_of),
w AS (SELECT s.window_size_s, e AS window_end, a.as_of
      FROM a CROSS JOIN (VALUES (300, 60), (3600, 300)) AS s(window_size_s, slide_s)
      CROSS JOIN LATERAL generate_series(
          date_bin(make_interval(secs => s.slide_s), a.as_of - interval '1 minute', timestamptz 'epoch') + make_interval(secs => s.slide_s) - interval '1 hour',
          date_bin(make_interval(secs => s.slide_s), a.as_of - interval '1 minute', timestamptz 'epoch') + make_interval(secs => s.slide_s),
          make_interval(secs => s.slide_s)) AS e)
SELECT w.window_size_s, w.window_end, w.window_end - make_interval(secs => w.window_size_s) AS window_start,
       count(o.order_id) AS orders, coalesce(sum(o.amount), 0) AS gmv, count(DISTINCT o.user_id) AS unique_buyers,
       w.window_end <= w.as_of - interval '1 minute' AS is_final, now() AS updated_at
FROM w LEFT JOIN pulse_raw.orders o ON o.event_time >= w.window_end - make_interval(secs => w.window_size_s)
                                   AND o.event_time < least(w.window_end, w.as_of) AND o.status = 'paid'
GROUP BY w.window_size_s, w.window_end, w.as_of;
CREATE UNIQUE INDEX gmv_sliding_key ON gmv_sliding (window_size_s, window_end);

CREATE MATERIALIZED VIEW top_products AS
WITH w AS (SELECT window_size_s, window_end, window_start, is_final FROM gmv_sliding),
p AS (SELECT w.window_size_s, w.window_end, w.window_start, w.is_final, o.product_id, min(o.product_name) AS product_name,
             count(*) AS orders, sum(o.quantity) AS items, sum(o.amount) AS gmv
      FROM w JOIN pulse_raw.orders o ON o.event_time >= w.window_start AND o.event_time < w.window_end AND o.status = 'paid'
      GROUP BY w.window_size_s, w.window_end, w.window_start, w.is_final, o.product_id),
r AS (SELECT p.*, row_number() OVER (PARTITION BY window_size_s, window_end ORDER BY orders DESC, gmv DESC, product_id) AS rank
      FROM p)
SELECT window_size_s, window_end, rank::integer AS rank, window_start, product_id, product_name, orders, items, gmv, is_final,
       now() AS updated_at
FROM r WHERE rank <= 10;
CREATE UNIQUE INDEX top_products_key ON top_products (window_size_s, window_end, rank);

CREATE MATERIALIZED VIEW funnel_metrics AS
WITH a AS MATERIALIZED (SELECT pulse_raw.bi_now() AS as_of)
SELECT g.grain, date_bin(g.len, b.event_time, timestamptz 'epoch') AS window_start,
       date_bin(g.len, b.event_time, timestamptz 'epoch') + g.len AS window_end,
       count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'page_view') AS viewers,
       count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'add_to_cart') AS carters,
       count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'checkout_start') AS checkouts,
       count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'purchase') AS purchasers,
       round((count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'purchase'))::numeric
             / nullif(count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'page_view'), 0), 4) AS conversion_rate,
       date_bin(g.len, b.event_time, timestamptz 'epoch') + g.len <= min(a.as_of) - interval '1 minute' AS is_final,
       now() AS updated_at
FROM a JOIN pulse_raw.behavior b ON b.event_time >= horizon(a.as_of) AND b.event_time < a.as_of
JOIN (VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour')) AS g(grain, len)
  ON g.grain = '1h' OR b.event_time >= a.as_of - interval '2 hours'
GROUP BY g.grain, g.len, date_bin(g.len, b.event_time, timestamptz 'epoch');
CREATE UNIQUE INDEX funnel_metrics_key ON funnel_metrics (grain, window_start);

CREATE MATERIALIZED VIEW session_funnel AS
WITH a AS MATERIALIZED (SELECT pulse_raw.bi_now() AS as_of)
SELECT s.window_start, s.device_type, s.window_start + interval '1 hour' AS window_end, s.sessions, s.bounced_sessions,
       s.reached_view, s.reached_cart, s.reached_checkout, s.reached_purchase, s.avg_duration_s, s.avg_events,
       s.window_start + interval '90 minutes' <= a.as_of AS is_final, now() AS updated_at
FROM a CROSS JOIN LATERAL pulse_raw.sessions_between(horizon(a.as_of), a.as_of) s;
CREATE UNIQUE INDEX session_funnel_key ON session_funnel (window_start, device_type);

CREATE MATERIALIZED VIEW payment_metrics AS
WITH a AS MATERIALIZED (SELECT pulse_raw.bi_now() AS as_of)
SELECT date_bin('1 minute', p.event_time, timestamptz 'epoch') AS window_start,
       CASE WHEN grouping(p.method) = 1 THEN '*' ELSE p.method END AS method,
       date_bin('1 minute', p.event_time, timestamptz 'epoch') + interval '1 minute' AS window_end,
       count(*) AS attempts, count(*) FILTER (WHERE p.status = 'success') AS succeeded,
       count(*) FILTER (WHERE p.status = 'failed') AS failed,
       round((count(*) FILTER (WHERE p.status = 'success'))::numeric / count(*), 4) AS success_rate,
       coalesce(sum(p.amount) FILTER (WHERE p.status = 'success'), 0) AS amount_succeeded,
       date_bin('1 minute', p.event_time, timestamptz 'epoch') + interval '1 minute' <= min(a.as_of) - interval '1 minute' AS is_final,
       now() AS updated_at
FROM a JOIN pulse_raw.payments p ON p.event_time >= horizon(a.as_of) AND p.event_time < a.as_of
GROUP BY date_bin('1 minute', p.event_time, timestamptz 'epoch'), GROUPING SETS ((), (p.method));
CREATE UNIQUE INDEX payment_metrics_key ON payment_metrics (window_start, method);

-- Bad input is the same table in every design (the job's dead_letters and late_events).
CREATE VIEW dead_letters AS SELECT * FROM ${SINK}.dead_letters;
CREATE VIEW late_events AS SELECT * FROM ${SINK}.late_events;
