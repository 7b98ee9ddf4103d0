-- Views for a real-time screen (Grafana, Superset, psql, the dashboard function). Idempotent; applied after
-- schema.sql and views.sql. They read the sink tables only. Every view has a `time` column (timestamptz, UTC) for
-- Grafana; money stays numeric (exact); rates are numeric with 4 decimals.
--
-- "Now" is bi_now(): the end of the latest 1-minute window the job has written, never later than the end of the
-- current minute of the clock. Live, that is the current minute (open windows are written early, every second).
-- On a replay of old data it is the end of that data, so "today" and "the last hour" show the replay's last day
-- and hour instead of nothing. A producer with a clock ahead cannot move it past the clock.
--
-- Functions carry `SET search_path FROM CURRENT`: their bodies name tables unqualified, resolved in the schema they
-- were installed into whatever the caller's search_path (views are bound to their tables when created).

-- PL/pgSQL, not SQL: a SQL function with SET is never inlined and plans its query on every call (5.5 ms a call
-- measured on a loaded 2-core machine); PL/pgSQL keeps the plan for the session (0.9 ms there).
CREATE OR REPLACE FUNCTION bi_now() RETURNS timestamptz
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT AS $$
BEGIN
    RETURN least(greatest((SELECT max(window_end) FROM order_metrics WHERE grain = '1m'),
                          (SELECT max(window_start) + interval '1 minute' FROM funnel_metrics WHERE grain = '1m'),
                          (SELECT max(window_start) + interval '1 minute' FROM payment_metrics)),
                 date_bin('1 minute', now(), timestamptz '1970-01-01 00:00:00+00') + interval '1 minute');
END
$$;
COMMENT ON FUNCTION bi_now() IS 'The "now" of the BI views: the end of the latest 1-minute window written (order, '
    'funnel or payment metrics), at most the end of the current minute; the end of the current minute when nothing '
    'is written yet. Live this is the current minute; on a replay of old data, the end of the replayed data.';

-- Partial index for the company-wide per-minute series (the (*,*) rows among every region and city).
CREATE INDEX IF NOT EXISTS bi_order_metrics_total ON order_metrics (grain, window_start) WHERE region = '*' AND city = '*';
-- "Latest closed / latest open top-N window": a backward scan of these finds it at once.
CREATE INDEX IF NOT EXISTS bi_top_products_final ON top_products (window_size_s, is_final, window_end DESC);
-- Per-method payment series and the per-minute funnel, newest first.
CREATE INDEX IF NOT EXISTS bi_payment_metrics_method ON payment_metrics (method, window_start DESC);

-- Each view reads bi_now() once per query, in a MATERIALIZED CTE: inlined, the CTE became a GROUP BY key evaluated
-- for every input row (bi_payments_last_hour: 108 ms, 26 ms once per query, on 387 rows).
CREATE OR REPLACE VIEW bi_gmv_today AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
     d AS (SELECT as_of, date_bin('1 day', as_of - interval '1 minute', timestamptz '1970-01-01 00:00:00+00') AS day FROM a)
SELECT d.day AS time, d.day AS day_start, d.day + interval '1 day' AS day_end, d.as_of,
       coalesce(m.orders, 0) AS orders, coalesce(m.gmv, 0) AS gmv, m.avg_order_value,
       coalesce(m.items, 0) AS items, coalesce(m.unique_buyers, 0) AS unique_buyers,
       coalesce(m.cancelled_orders, 0) AS cancelled_orders, coalesce(m.cancelled_amount, 0) AS cancelled_amount,
       coalesce(m.is_final, false) AS is_final, m.updated_at
FROM d
LEFT JOIN order_metrics m ON m.grain = '1d' AND m.window_start = d.day AND m.region = '*' AND m.city = '*';
COMMENT ON VIEW bi_gmv_today IS 'GMV and paid orders of today so far (UTC day), company-wide, from the daily row of '
    'order_metrics: always one row, zeros before the first paid order. "Today" is the day of bi_now(), the latest '
    'minute written (live: today; a replay: the last day of its data); as_of says which minute.';

CREATE OR REPLACE VIEW bi_gmv_per_minute AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of)
SELECT s.minute AS time, s.minute AS window_start, s.minute + interval '1 minute' AS window_end,
       coalesce(m.orders, 0) AS orders, coalesce(m.gmv, 0) AS gmv, m.avg_order_value,
       coalesce(m.items, 0) AS items, coalesce(m.unique_buyers, 0) AS unique_buyers,
       coalesce(m.cancelled_orders, 0) AS cancelled_orders, coalesce(m.cancelled_amount, 0) AS cancelled_amount,
       m.is_final, m.updated_at
FROM a
CROSS JOIN generate_series(a.as_of - interval '60 minutes', a.as_of - interval '1 minute', interval '1 minute') AS s(minute)
LEFT JOIN order_metrics m ON m.grain = '1m' AND m.window_start = s.minute AND m.region = '*' AND m.city = '*';
COMMENT ON VIEW bi_gmv_per_minute IS 'Paid orders and GMV per minute over the last 60 minutes, company-wide: 60 rows, '
    'time = start of the minute, 0 for a minute without a paid order (is_final NULL there). The last minute ends at '
    'bi_now() (live: the current, still open minute; a replay: the end of its data).';

CREATE OR REPLACE VIEW bi_top_products_now AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
-- Per size, the window that ends at the first slide boundary at or after as_of: the one holding the latest minutes.
sizes AS (
    SELECT s.window_size_s, date_bin(make_interval(secs => s.slide_s), a.as_of - interval '1 minute',
                                     timestamptz '1970-01-01 00:00:00+00') + make_interval(secs => s.slide_s) AS current_end
    FROM a CROSS JOIN (VALUES (300, 60), (3600, 300)) AS s(window_size_s, slide_s)),
closed AS (
    SELECT z.window_size_s, (SELECT max(t.window_end) FROM top_products t
                             WHERE t.window_size_s = z.window_size_s AND t.is_final
                               AND t.window_end <= z.current_end) AS window_end
    FROM sizes z),
open AS (
    SELECT z.window_size_s, z.current_end AS window_end
    FROM sizes z
    WHERE EXISTS (SELECT 1 FROM top_products t WHERE t.window_size_s = z.window_size_s
                  AND t.window_end = z.current_end AND NOT t.is_final)),
latest AS (
    SELECT window_size_s, window_end, 'closed' AS state FROM closed WHERE window_end IS NOT NULL
    UNION ALL
    SELECT window_size_s, window_end, 'open' FROM open)
SELECT t.window_end AS time, t.window_size_s, l.state, t.window_start, t.window_end, t.rank, t.product_id,
       t.product_name, t.orders, t.items, t.gmv, t.is_final, t.updated_at
FROM latest l
JOIN top_products t ON t.window_size_s = l.window_size_s AND t.window_end = l.window_end
WHERE t.rank <= 10;
COMMENT ON VIEW bi_top_products_now IS 'The current top 10 products per sliding window size (window_size_s 300 = 5 '
    'minutes, sliding every minute; 3600 = 1 hour, every 5 minutes): state open = the window holding the latest '
    'minutes (it ends at the first slide boundary at or after bi_now()), while it is still open (an early result, '
    'rewritten every second); state closed = the latest window the watermark has passed (final) that ends no later. '
    'Ranked by orders, then GMV, then product id; time = window end.';

CREATE OR REPLACE VIEW bi_sales_by_region_today AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
     d AS (SELECT as_of, date_bin('1 day', as_of - interval '1 minute', timestamptz '1970-01-01 00:00:00+00') AS day FROM a)
SELECT d.day AS time, d.as_of, m.region, m.city, CASE WHEN m.city = '*' THEN 'region' ELSE 'city' END AS level,
       m.orders, m.gmv, m.avg_order_value, m.items, m.unique_buyers, m.cancelled_orders, m.cancelled_amount,
       round(m.gmv / nullif(t.gmv, 0), 4) AS gmv_share, m.is_final, m.updated_at
FROM d
JOIN order_metrics m ON m.grain = '1d' AND m.window_start = d.day AND m.region <> '*'
LEFT JOIN order_metrics t ON t.grain = '1d' AND t.window_start = d.day AND t.region = '*' AND t.city = '*';
COMMENT ON VIEW bi_sales_by_region_today IS 'Sales today (UTC day of bi_now()) per region (level region, city = *) '
    'and per city of a region (level city): paid orders, GMV, buyers, cancellations, and the share of the day''s '
    'company-wide GMV (4 decimals). Regions and cities without a paid order today have no row.';

CREATE OR REPLACE VIEW bi_funnel_live AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
     h AS (SELECT as_of, date_bin('1 hour', as_of - interval '1 minute', timestamptz '1970-01-01 00:00:00+00') AS hour FROM a),
     f AS (SELECT h.as_of, h.hour, coalesce(m.viewers, 0) AS v, coalesce(m.carters, 0) AS c,
                  coalesce(m.checkouts, 0) AS k, coalesce(m.purchasers, 0) AS p, coalesce(m.is_final, false) AS is_final,
                  m.updated_at
           FROM h LEFT JOIN funnel_metrics m ON m.grain = '1h' AND m.window_start = h.hour)
SELECT f.hour AS time, f.hour AS window_start, f.hour + interval '1 hour' AS window_end, f.as_of,
       s.step_no, s.step, s.users,
       round(s.users::numeric / nullif(s.previous, 0), 4) AS rate_from_previous,
       round(s.users::numeric / nullif(f.v, 0), 4) AS rate_from_view,
       f.is_final, f.updated_at
FROM f
CROSS JOIN LATERAL (VALUES (1, 'view', f.v, NULL::bigint), (2, 'cart', f.c, f.v), (3, 'checkout', f.k, f.c),
                           (4, 'purchase', f.p, f.k)) AS s(step_no, step, users, previous);
COMMENT ON VIEW bi_funnel_live IS 'The live funnel: distinct users who viewed, added to cart, started checkout and '
    'purchased in the current hour (the UTC hour of bi_now()), one row per step in order, with the rate from the step '
    'before and from viewers (4 decimals, NULL when the step before had nobody). From funnel_metrics (grain 1h), '
    'whose steps are independent distinct counts, not an ordered path (see bi_sessions_hourly for that).';

CREATE OR REPLACE VIEW bi_sessions_hourly AS
SELECT window_start AS time, window_start, window_end, device_type, sessions, bounced_sessions,
       round(bounced_sessions::numeric / nullif(sessions, 0), 4) AS bounce_rate,
       reached_view, reached_cart, reached_checkout, reached_purchase,
       round(reached_purchase::numeric / nullif(sessions, 0), 4) AS purchase_rate,
       avg_duration_s, avg_events, is_final, updated_at
FROM session_funnel;
COMMENT ON VIEW bi_sessions_hourly IS 'Sessions per hour of their start and device (device_type * = all devices): '
    'sessions, bounced sessions (one event) and bounce rate, how many reached each step of the ordered funnel, the '
    'share that reached purchase, mean duration (s) and events. Every hour kept; filter on time (Grafana: '
    '$__timeFilter(time)).';

CREATE OR REPLACE VIEW bi_payments_last_hour AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of)
SELECT a.as_of AS time, a.as_of - interval '60 minutes' AS window_start, a.as_of AS window_end, p.method,
       sum(p.attempts) AS attempts, sum(p.succeeded) AS succeeded, sum(p.failed) AS failed,
       round(sum(p.succeeded)::numeric / nullif(sum(p.attempts), 0), 4) AS success_rate,
       sum(p.amount_succeeded) AS amount_succeeded, bool_and(p.is_final) AS is_final
FROM a
JOIN payment_metrics p ON p.window_start >= a.as_of - interval '60 minutes' AND p.window_start < a.as_of
GROUP BY a.as_of, p.method;
COMMENT ON VIEW bi_payments_last_hour IS 'Payment attempts, successes, failures, success rate (4 decimals) and amount '
    'paid per method over the last 60 minutes ending at bi_now() (live: now; a replay: the end of its data); method '
    '* = all methods. is_final: every minute in it is final.';

CREATE OR REPLACE VIEW bi_payments_per_minute AS
SELECT window_start AS time, window_start, window_end, method, attempts, succeeded, failed, success_rate,
       amount_succeeded, is_final, updated_at
FROM payment_metrics;
COMMENT ON VIEW bi_payments_per_minute IS 'Payment attempts and success rate per minute and method (* = all), every '
    'minute kept (1-minute rows follow the retention of pulse_prune_minutes); filter on time (Grafana: '
    '$__timeFilter(time)).';

CREATE OR REPLACE VIEW bi_bad_input_last_hour AS
WITH s(stream) AS (VALUES ('orders'), ('behavior'), ('payments')),
     d AS (SELECT stream, count(*) AS n, max(received_at) AS last_seen FROM dead_letters
           WHERE received_at > now() - interval '1 hour' GROUP BY stream),
     l AS (SELECT stream, count(*) AS n, max(received_at) AS last_seen FROM late_events
           WHERE received_at > now() - interval '1 hour' GROUP BY stream)
SELECT now() AS time, s.stream, coalesce(d.n, 0) AS dead_letters, coalesce(l.n, 0) AS late_events,
       d.last_seen AS last_dead_letter, l.last_seen AS last_late_event
FROM s LEFT JOIN d USING (stream) LEFT JOIN l USING (stream);
COMMENT ON VIEW bi_bad_input_last_hour IS 'Per input stream, dead letters (records that could not be used) and late '
    'events (valid but too late to count) received in the last hour of the wall clock: a bad producer shows here. '
    'Unlike the metric views this is the clock''s hour (received_at is the time of arrival), not the data''s.';
