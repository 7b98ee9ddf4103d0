-- bin/pulse-bi-bench, baseline 1: the PostgreSQL-only design. Raw events in tables (one btree on event_time each),
-- the screen's questions as plain SQL over them, with the same names and columns as the bi_* views, so that one query
-- text asks all three designs (only the schema differs). Schema pulse_raw.
DROP SCHEMA IF EXISTS pulse_raw CASCADE;
CREATE SCHEMA pulse_raw;
SET search_path TO pulse_raw;

CREATE TABLE orders (
    event_id     text        NOT NULL,
    order_id     bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    product_id   bigint      NOT NULL,
    product_name text        NOT NULL,
    quantity     integer     NOT NULL,
    amount       numeric     NOT NULL,
    status       text        NOT NULL,
    region       text        NOT NULL,
    city         text        NOT NULL,
    event_time   timestamptz NOT NULL
);
CREATE TABLE behavior (
    event_id     text        NOT NULL,
    user_id      bigint      NOT NULL,
    event_type   text        NOT NULL,
    device_type  text        NOT NULL,
    product_id   bigint,
    event_time   timestamptz NOT NULL
);
CREATE TABLE payments (
    payment_id   text        NOT NULL,
    order_id     bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    amount       numeric     NOT NULL,
    method       text        NOT NULL,
    status       text        NOT NULL,
    event_time   timestamptz NOT NULL
);

-- ${DAYS} days ending at ${END}: ${RATE} orders per second, each a pending event and 30 s later a paid (95 %) or
-- cancelled one; one payment attempt per order (success when paid) plus a failed earlier attempt for 8 %; behaviour
-- as sessions of 1 (38 %, a bounce) to 8 events 20-60 s apart, five behaviour events per order event. Uniform in time.
SELECT setseed(0.7);
CREATE TEMP TABLE raw_city_slots AS
SELECT array_agg(region || '|' || city) AS slots
FROM (SELECT r.region, c.city FROM (VALUES ('华东', 34, ARRAY['上海', '杭州', '南京', '苏州']),
                                           ('华北', 26, ARRAY['北京', '天津', '石家庄']),
                                           ('华南', 20, ARRAY['广州', '深圳', '厦门']), ('西南', 12, ARRAY['成都', '重庆']),
                                           ('华中', 8, ARRAY['武汉', '长沙'])) AS r(region, pct, cs)
      CROSS JOIN LATERAL unnest(r.cs) AS c(city)
      CROSS JOIN LATERAL generate_series(1, r.pct * 12 / cardinality(r.cs))) s;

CREATE TEMP TABLE raw_order AS
SELECT i AS order_id, timestamptz '${END}' - interval '${DAYS} days' + make_interval(secs => (i - random()) / ${RATE}) AS t,
       1 + floor(50000 * power(random(), 2))::bigint AS user_id, 1 + floor(500 * power(random(), 3))::bigint AS product_id,
       1 + floor(power(random(), 2) * 4)::int AS quantity, random() < 0.95 AS paid,
       (SELECT slots[1 + floor(random() * cardinality(slots))::int] FROM raw_city_slots WHERE i > 0) AS place
FROM generate_series(1, floor(${RATE} * 86400 * ${DAYS})::bigint) AS i;

INSERT INTO orders
SELECT 'o-' || o.order_id || '-' || s.k, o.order_id, o.user_id, o.product_id,
       (ARRAY['electronics', 'apparel', 'home', 'beauty', 'books', 'grocery', 'toys', 'sports'])[o.product_id % 8 + 1]
           || ' item ' || o.product_id,
       o.quantity, o.quantity * (10 + (o.product_id * 37) % 230 + 0.99),
       CASE WHEN s.k = 1 THEN 'pending' WHEN o.paid THEN 'paid' ELSE 'cancelled' END,
       split_part(o.place, '|', 1), split_part(o.place, '|', 2),
       o.t - CASE WHEN s.k = 1 THEN interval '30 seconds' ELSE interval '0' END
FROM raw_order o CROSS JOIN (VALUES (1), (2)) AS s(k)
WHERE o.t - CASE WHEN s.k = 1 THEN interval '30 seconds' ELSE interval '0' END < timestamptz '${END}';

INSERT INTO payments
SELECT 'p-' || o.order_id || '-' || s.k, o.order_id, o.user_id, o.quantity * (10 + (o.product_id * 37) % 230 + 0.99),
       CASE WHEN o.order_id % 20 = 3 THEN 'paypal'
            ELSE (ARRAY['alipay', 'alipay', 'alipay', 'alipay', 'wechat_pay', 'wechat_pay', 'wechat_pay', 'wechat_pay',
                        'card', 'card'])[1 + (o.order_id * 7 + s.k) % 10] END,
       CASE WHEN s.k = 1 AND o.paid THEN 'success' ELSE 'failed' END,
       o.t - CASE WHEN s.k = 1 THEN interval '5 seconds' ELSE interval '40 seconds' END
FROM raw_order o CROSS JOIN (VALUES (1), (2)) AS s(k)
WHERE (s.k = 1 OR o.order_id % 100 < 8)
  AND o.t - CASE WHEN s.k = 1 THEN interval '5 seconds' ELSE interval '40 seconds' END < timestamptz '${END}';

INSERT INTO behavior
SELECT 'b-' || s.i || '-' || e, s.user_id,
       CASE WHEN e = 1 THEN 'page_view'
            ELSE (ARRAY['click', 'page_view', 'add_to_cart', 'click', 'checkout_start', 'purchase', 'page_view'])[e - 1] END,
       s.device, CASE WHEN e > 1 THEN s.product_id END,
       s.t + make_interval(secs => (e - 1) * s.step)
FROM (SELECT i, timestamptz '${END}' - interval '${DAYS} days' + make_interval(secs => (i - random()) / (${RATE} * 10 / 3.5)) AS t,
             1 + floor(50000 * power(random(), 2))::bigint AS user_id, 1 + floor(500 * power(random(), 3))::bigint AS product_id,
             CASE WHEN random() < 0.38 THEN 1 ELSE 2 + floor(random() * 7)::int END AS n,
             20 + 40 * random() AS step,
             (ARRAY['desktop', 'mobile', 'tablet', 'other'])[CASE WHEN r < 0.42 THEN 1 WHEN r < 0.90 THEN 2 WHEN r < 0.97 THEN 3 ELSE 4 END] AS device
      FROM (SELECT i, random() AS r FROM generate_series(1, floor(${RATE} * 10 / 3.5 * 86400 * ${DAYS})::bigint) AS i) g) s
CROSS JOIN LATERAL generate_series(1, s.n) AS e
WHERE s.t + make_interval(secs => (e - 1) * s.step) < timestamptz '${END}';

DROP TABLE raw_order, raw_city_slots;
CREATE INDEX orders_time ON orders (event_time);
CREATE INDEX behavior_time ON behavior (event_time);
CREATE INDEX payments_time ON payments (event_time);
ANALYZE orders, behavior, payments;

-- "Now" as bi_now(): the end of the minute of the latest event, at most the end of the clock's current minute.
CREATE FUNCTION bi_now() RETURNS timestamptz
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    SELECT least(date_bin('1 minute', greatest((SELECT max(event_time) FROM orders), (SELECT max(event_time) FROM behavior),
                                               (SELECT max(event_time) FROM payments)), timestamptz 'epoch') + interval '1 minute',
                 date_bin('1 minute', now(), timestamptz 'epoch') + interval '1 minute')
$$;

CREATE VIEW bi_gmv_today AS
WITH d AS MATERIALIZED (SELECT as_of, date_bin('1 day', as_of - interval '1 minute', timestamptz 'epoch') AS day FROM (SELECT bi_now() AS as_of) a)
SELECT d.day AS time, d.day AS day_start, d.day + interval '1 day' AS day_end, d.as_of,
       count(*) FILTER (WHERE o.status = 'paid') AS orders, coalesce(sum(o.amount) FILTER (WHERE o.status = 'paid'), 0) AS gmv,
       round(sum(o.amount) FILTER (WHERE o.status = 'paid') / nullif(count(*) FILTER (WHERE o.status = 'paid'), 0), 2) AS avg_order_value,
       coalesce(sum(o.quantity) FILTER (WHERE o.status = 'paid'), 0) AS items,
       count(DISTINCT o.user_id) FILTER (WHERE o.status = 'paid') AS unique_buyers,
       count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders,
       coalesce(sum(o.amount) FILTER (WHERE o.status = 'cancelled'), 0) AS cancelled_amount
FROM d LEFT JOIN orders o ON o.event_time >= d.day AND o.event_time < d.as_of
GROUP BY d.day, d.as_of;

CREATE VIEW bi_gmv_per_minute AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
     m AS (SELECT date_bin('1 minute', o.event_time, timestamptz 'epoch') AS minute,
                  count(*) FILTER (WHERE o.status = 'paid') AS orders, sum(o.amount) FILTER (WHERE o.status = 'paid') AS gmv,
                  sum(o.quantity) FILTER (WHERE o.status = 'paid') AS items,
                  count(DISTINCT o.user_id) FILTER (WHERE o.status = 'paid') AS unique_buyers,
                  count(*) FILTER (WHERE o.status = 'cancelled') AS cancelled_orders,
                  sum(o.amount) FILTER (WHERE o.status = 'cancelled') AS cancelled_amount
           FROM a JOIN orders o ON o.event_time >= a.as_of - interval '60 minutes' AND o.event_time < a.as_of
           GROUP BY 1)
SELECT s.minute AS time, s.minute AS window_start, s.minute + interval '1 minute' AS window_end,
       coalesce(m.orders, 0) AS orders, coalesce(m.gmv, 0) AS gmv, round(m.gmv / nullif(m.orders, 0), 2) AS avg_order_value,
       coalesce(m.items, 0) AS items, coalesce(m.unique_buyers, 0) AS unique_buyers,
       coalesce(m.cancelled_orders, 0) AS cancelled_orders, coalesce(m.cancelled_amount, 0) AS cancelled_amount
FROM a
CROSS JOIN generate_series(a.as_of - interval '60 minutes', a.as_of - interval '1 minute', interval '1 minute') AS s(minute)
LEFT JOIN m ON m.minute = s.minute;

-- Top 10 of the latest closed window (ends at the last slide boundary before the open one) and of the open one.
CREATE VIEW bi_top_products_now AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of),
w AS (SELECT z.window_size_s, z.current_end - make_interval(secs => z.slide_s * k) AS window_end,
             CASE k WHEN 0 THEN 'open' ELSE 'closed' END AS state
      FROM (SELECT s.window_size_s, s.slide_s, date_bin(make_interval(secs => s.slide_s), a.as_of - interval '1 minute',
                   timestamptz 'epoch') + make_interval(secs => s.slide_s) AS current_end
            FROM a CROSS JOIN (VALUES (300, 60), (3600, 300)) AS s(window_size_s, slide_s)) z
      CROSS JOIN (VALUES (0), (1)) AS k(k)),
p AS (SELECT w.window_size_s, w.window_end, w.state, o.product_id, min(o.product_name) AS product_name,
             count(*) AS orders, sum(o.quantity) AS items, sum(o.amount) AS gmv
      FROM w JOIN orders o ON o.event_time >= w.window_end - make_interval(secs => w.window_size_s)
                          AND o.event_time < w.window_end AND o.status = 'paid'
      GROUP BY w.window_size_s, w.window_end, w.state, o.product_id),
r AS (SELECT p.*, row_number() OVER (PARTITION BY window_size_s, state ORDER BY orders DESC, gmv DESC, product_id) AS rank
      FROM p)
SELECT window_end AS time, window_size_s, state, window_end - make_interval(secs => window_size_s) AS window_start,
       window_end, rank, product_id, product_name, orders, items, gmv
FROM r WHERE rank <= 10;

CREATE VIEW bi_sales_by_region_today AS
WITH d AS MATERIALIZED (SELECT as_of, date_bin('1 day', as_of - interval '1 minute', timestamptz 'epoch') AS day FROM (SELECT bi_now() AS as_of) a),
g AS (SELECT o.region, coalesce(o.city, '*') AS city, count(*) AS orders, sum(o.amount) AS gmv, sum(o.quantity) AS items,
             count(DISTINCT o.user_id) AS unique_buyers, grouping(o.region) AS all_regions
      FROM d JOIN orders o ON o.event_time >= d.day AND o.event_time < d.as_of AND o.status = 'paid'
      GROUP BY GROUPING SETS ((), (o.region), (o.region, o.city)))
SELECT d.day AS time, d.as_of, g.region, g.city, CASE WHEN g.city = '*' THEN 'region' ELSE 'city' END AS level,
       g.orders, g.gmv, round(g.gmv / g.orders, 2) AS avg_order_value, g.items, g.unique_buyers,
       round(g.gmv / nullif(t.gmv, 0), 4) AS gmv_share
FROM d CROSS JOIN g CROSS JOIN (SELECT gmv FROM g WHERE all_regions = 1) t
WHERE g.all_regions = 0;

CREATE VIEW bi_funnel_live AS
WITH h AS MATERIALIZED (SELECT as_of, date_bin('1 hour', as_of - interval '1 minute', timestamptz 'epoch') AS hour FROM (SELECT bi_now() AS as_of) a),
f AS (SELECT h.as_of, h.hour,
             count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'page_view') AS v,
             count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'add_to_cart') AS c,
             count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'checkout_start') AS k,
             count(DISTINCT b.user_id) FILTER (WHERE b.event_type = 'purchase') AS p
      FROM h LEFT JOIN behavior b ON b.event_time >= h.hour AND b.event_time < h.as_of
      GROUP BY h.as_of, h.hour)
SELECT f.hour AS time, f.hour AS window_start, f.hour + interval '1 hour' AS window_end, f.as_of, s.step_no, s.step, s.users,
       round(s.users::numeric / nullif(s.previous, 0), 4) AS rate_from_previous,
       round(s.users::numeric / nullif(f.v, 0), 4) AS rate_from_view
FROM f
CROSS JOIN LATERAL (VALUES (1, 'view', f.v, NULL::bigint), (2, 'cart', f.c, f.v), (3, 'checkout', f.k, f.c),
                           (4, 'purchase', f.p, f.k)) AS s(step_no, step, users, previous);

-- Sessions (a user's events split at gaps over 30 minutes) that start in [p_from, p_to), per hour of their start and
-- device of their first event (and *), with the ordered funnel (cart at or after the first view, and so on).
CREATE FUNCTION sessions_between(p_from timestamptz, p_to timestamptz)
RETURNS TABLE (window_start timestamptz, device_type text, sessions bigint, bounced_sessions bigint, reached_view bigint,
               reached_cart bigint, reached_checkout bigint, reached_purchase bigint, avg_duration_s numeric,
               avg_events numeric)
LANGUAGE sql STABLE SET search_path FROM CURRENT AS $$
    WITH ev AS (
        SELECT b.user_id, b.device_type, b.event_type, b.event_id, b.event_time AS t,
               b.event_time - lag(b.event_time) OVER (PARTITION BY b.user_id ORDER BY b.event_time, b.event_id) AS gap
        FROM behavior b WHERE b.event_time >= p_from - interval '30 minutes' AND b.event_time < p_to),
    numbered AS (
        SELECT ev.*, sum(CASE WHEN gap IS NULL OR gap > interval '30 minutes' THEN 1 ELSE 0 END)
                         OVER (PARTITION BY user_id ORDER BY t, event_id ROWS UNBOUNDED PRECEDING) AS sn
        FROM ev),
    -- The ordered funnel in one pass per step: the first view so far, the first cart after a view so far, ...
    v AS (SELECT n.*, min(t) FILTER (WHERE event_type = 'page_view') OVER w AS fv
          FROM numbered n WINDOW w AS (PARTITION BY user_id, sn ORDER BY t, event_id ROWS UNBOUNDED PRECEDING)),
    c AS (SELECT v.*, min(t) FILTER (WHERE event_type = 'add_to_cart' AND fv IS NOT NULL) OVER w AS fc
          FROM v WINDOW w AS (PARTITION BY user_id, sn ORDER BY t, event_id ROWS UNBOUNDED PRECEDING)),
    k AS (SELECT c.*, min(t) FILTER (WHERE event_type = 'checkout_start' AND fc IS NOT NULL) OVER w AS fk
          FROM c WINDOW w AS (PARTITION BY user_id, sn ORDER BY t, event_id ROWS UNBOUNDED PRECEDING)),
    s AS (
        SELECT user_id, sn, min(t) AS start_t, max(t) AS end_t, count(*) AS events,
               (array_agg(device_type ORDER BY t, event_id))[1] AS device,
               bool_or(fv IS NOT NULL) AS rv, bool_or(fc IS NOT NULL) AS rc, bool_or(fk IS NOT NULL) AS rk,
               bool_or(event_type = 'purchase' AND fk IS NOT NULL) AS rp
        FROM k GROUP BY user_id, sn)
    SELECT date_bin('1 hour', s.start_t, timestamptz 'epoch'), coalesce(s.device, '*'), count(*),
           count(*) FILTER (WHERE s.events = 1), count(*) FILTER (WHERE s.rv), count(*) FILTER (WHERE s.rc),
           count(*) FILTER (WHERE s.rk), count(*) FILTER (WHERE s.rp),
           round(avg(extract(epoch FROM s.end_t - s.start_t)), 2), round(avg(s.events), 2)
    FROM s
    WHERE s.start_t >= p_from
    GROUP BY GROUPING SETS ((date_bin('1 hour', s.start_t, timestamptz 'epoch')),
                            (date_bin('1 hour', s.start_t, timestamptz 'epoch'), s.device))
$$;

-- Every hour of the last 24 (the screen filters on time; over raw events a view of "every hour" is not askable).
CREATE VIEW bi_sessions_hourly AS
SELECT s.window_start AS time, s.window_start, s.window_start + interval '1 hour' AS window_end, s.device_type, s.sessions,
       s.bounced_sessions, round(s.bounced_sessions::numeric / nullif(s.sessions, 0), 4) AS bounce_rate,
       s.reached_view, s.reached_cart, s.reached_checkout, s.reached_purchase,
       round(s.reached_purchase::numeric / nullif(s.sessions, 0), 4) AS purchase_rate, s.avg_duration_s, s.avg_events
FROM (SELECT bi_now() AS as_of) a
CROSS JOIN LATERAL sessions_between(date_bin('1 hour', a.as_of - interval '24 hours', timestamptz 'epoch'), a.as_of) s;

CREATE VIEW bi_payments_last_hour AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of)
SELECT a.as_of AS time, a.as_of - interval '60 minutes' AS window_start, a.as_of AS window_end, coalesce(p.method, '*') AS method,
       count(*) AS attempts, count(*) FILTER (WHERE p.status = 'success') AS succeeded,
       count(*) FILTER (WHERE p.status = 'failed') AS failed,
       round((count(*) FILTER (WHERE p.status = 'success'))::numeric / count(*), 4) AS success_rate,
       coalesce(sum(p.amount) FILTER (WHERE p.status = 'success'), 0) AS amount_succeeded
FROM a JOIN payments p ON p.event_time >= a.as_of - interval '60 minutes' AND p.event_time < a.as_of
GROUP BY a.as_of, GROUPING SETS ((), (p.method));

-- The last 60 minutes per minute and method (and *).
CREATE VIEW bi_payments_per_minute AS
WITH a AS MATERIALIZED (SELECT bi_now() AS as_of)
SELECT date_bin('1 minute', p.event_time, timestamptz 'epoch') AS time,
       date_bin('1 minute', p.event_time, timestamptz 'epoch') AS window_start,
       date_bin('1 minute', p.event_time, timestamptz 'epoch') + interval '1 minute' AS window_end,
       coalesce(p.method, '*') AS method, count(*) AS attempts, count(*) FILTER (WHERE p.status = 'success') AS succeeded,
       count(*) FILTER (WHERE p.status = 'failed') AS failed,
       round((count(*) FILTER (WHERE p.status = 'success'))::numeric / count(*), 4) AS success_rate,
       coalesce(sum(p.amount) FILTER (WHERE p.status = 'success'), 0) AS amount_succeeded
FROM a JOIN payments p ON p.event_time >= a.as_of - interval '60 minutes' AND p.event_time < a.as_of
GROUP BY GROUPING SETS ((date_bin('1 minute', p.event_time, timestamptz 'epoch')),
                        (date_bin('1 minute', p.event_time, timestamptz 'epoch'), p.method));

-- Bad input is the same table in every design (the job's dead_letters and late_events).
CREATE VIEW bi_bad_input_last_hour AS SELECT * FROM ${SINK}.bi_bad_input_last_hour;

-- The dashboard document of pulse_dashboard(), every section computed from raw events.
CREATE FUNCTION pulse_dashboard(p_minutes integer DEFAULT 60) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET TimeZone TO 'UTC' AS $$
DECLARE
    v_as_of   timestamptz := bi_now();
    v_minutes integer := least(greatest(coalesce(p_minutes, 60), 1), 1440);
    v_from    timestamptz;
    v_hour_end timestamptz;
    v_doc     jsonb;
BEGIN
    v_from := v_as_of - make_interval(mins => v_minutes);
    v_hour_end := date_bin('5 minutes', v_as_of - interval '1 minute', timestamptz 'epoch') + interval '5 minutes';
    SELECT jsonb_build_object(
        'as_of', v_as_of, 'generated_at', now(), 'minutes', v_minutes, 'from', v_from, 'to', v_as_of,
        'last_hour', (
            SELECT jsonb_build_object('window_start', v_hour_end - interval '1 hour', 'window_end', v_hour_end,
                       'orders', count(*), 'gmv', coalesce(sum(o.amount), 0),
                       'avg_order_value', round(sum(o.amount) / nullif(count(*), 0), 2), 'buyers', count(DISTINCT o.user_id))
            FROM orders o WHERE o.event_time >= v_hour_end - interval '1 hour' AND o.event_time < v_hour_end AND o.status = 'paid'),
        'summary', (
            SELECT jsonb_build_object('orders', count(*) FILTER (WHERE o.status = 'paid'),
                       'gmv', coalesce(sum(o.amount) FILTER (WHERE o.status = 'paid'), 0),
                       'avg_order_value', round(sum(o.amount) FILTER (WHERE o.status = 'paid')
                                                / nullif(count(*) FILTER (WHERE o.status = 'paid'), 0), 2),
                       'items', coalesce(sum(o.quantity) FILTER (WHERE o.status = 'paid'), 0),
                       'cancelled_orders', count(*) FILTER (WHERE o.status = 'cancelled'),
                       'cancelled_amount', coalesce(sum(o.amount) FILTER (WHERE o.status = 'cancelled'), 0))
            FROM orders o WHERE o.event_time >= v_from AND o.event_time < v_as_of),
        'today', (
            SELECT jsonb_build_object('day_start', t.day_start, 'orders', t.orders, 'gmv', t.gmv,
                       'avg_order_value', t.avg_order_value, 'buyers', t.unique_buyers, 'items', t.items,
                       'cancelled_orders', t.cancelled_orders, 'cancelled_amount', t.cancelled_amount)
            FROM bi_gmv_today t),
        'trend', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('time', s.minute, 'orders', coalesce(m.orders, 0),
                       'gmv', coalesce(m.gmv, 0), 'buyers', coalesce(m.buyers, 0)) ORDER BY s.minute), '[]')
            FROM generate_series(v_from, v_as_of - interval '1 minute', interval '1 minute') AS s(minute)
            LEFT JOIN (SELECT date_bin('1 minute', o.event_time, timestamptz 'epoch') AS minute, count(*) AS orders,
                              sum(o.amount) AS gmv, count(DISTINCT o.user_id) AS buyers
                       FROM orders o WHERE o.event_time >= v_from AND o.event_time < v_as_of AND o.status = 'paid'
                       GROUP BY 1) m ON m.minute = s.minute),
        'top_regions', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('region', r.region, 'orders', r.orders, 'gmv', r.gmv,
                       'share', round(r.gmv / nullif(r.total, 0), 4)) ORDER BY r.gmv DESC, r.region), '[]')
            FROM (SELECT o.region, count(*) AS orders, sum(o.amount) AS gmv, sum(sum(o.amount)) OVER () AS total
                  FROM orders o WHERE o.event_time >= v_from AND o.event_time < v_as_of AND o.status = 'paid'
                  GROUP BY o.region) r),
        'regions_today', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('region', r.region, 'city', r.city, 'orders', r.orders,
                       'gmv', r.gmv, 'share', r.gmv_share) ORDER BY r.region, r.city = '*' DESC, r.gmv DESC, r.city), '[]')
            FROM bi_sales_by_region_today r),
        'top_products', (
            SELECT coalesce(jsonb_object_agg(w.size, w.states), '{}')
            FROM (SELECT CASE p.window_size_s WHEN 300 THEN '5min' ELSE '1h' END AS size,
                         jsonb_object_agg(p.state, p.doc) AS states
                  FROM (SELECT t.window_size_s, t.state,
                               jsonb_build_object('window_start', min(t.window_start), 'window_end', min(t.window_end),
                                   'products', jsonb_agg(jsonb_build_object('rank', t.rank, 'product_id', t.product_id,
                                       'product_name', t.product_name, 'orders', t.orders, 'items', t.items,
                                       'gmv', t.gmv) ORDER BY t.rank)) AS doc
                        FROM bi_top_products_now t
                        GROUP BY t.window_size_s, t.state) p
                  GROUP BY p.window_size_s) w),
        'funnel', (
            SELECT jsonb_build_object('window_start', min(f.window_start), 'window_end', min(f.window_end),
                       'steps', jsonb_agg(jsonb_build_object('step', f.step, 'users', f.users,
                           'rate_from_previous', f.rate_from_previous, 'rate_from_view', f.rate_from_view)
                           ORDER BY f.step_no))
            FROM bi_funnel_live f),
        'sessions', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('device_type', s.device_type, 'sessions', s.sessions,
                       'bounced_sessions', s.bounced_sessions,
                       'bounce_rate', round(s.bounced_sessions::numeric / nullif(s.sessions, 0), 4),
                       'purchase_rate', round(s.reached_purchase::numeric / nullif(s.sessions, 0), 4),
                       'avg_duration_s', s.avg_duration_s) ORDER BY s.device_type = '*' DESC, s.device_type), '[]')
            FROM sessions_between(date_bin('1 hour', v_as_of - interval '1 minute', timestamptz 'epoch'), v_as_of) s),
        'payments', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('method', p.method, 'attempts', p.attempts,
                       'succeeded', p.succeeded, 'failed', p.failed,
                       'success_rate', round(p.succeeded::numeric / nullif(p.attempts, 0), 4),
                       'amount_succeeded', p.amount_succeeded) ORDER BY p.method = '*' DESC, p.attempts DESC, p.method), '[]')
            FROM (SELECT coalesce(m.method, '*') AS method, count(*) AS attempts,
                         count(*) FILTER (WHERE m.status = 'success') AS succeeded,
                         count(*) FILTER (WHERE m.status = 'failed') AS failed,
                         coalesce(sum(m.amount) FILTER (WHERE m.status = 'success'), 0) AS amount_succeeded
                  FROM payments m WHERE m.event_time >= v_from AND m.event_time < v_as_of
                  GROUP BY GROUPING SETS ((), (m.method))) p),
        -- The same tables in every design: the job's dead letters and late events.
        'bad_input', jsonb_build_object(
            'since', now() - make_interval(mins => v_minutes),
            'dead_letters', (SELECT count(*) FROM ${SINK}.dead_letters WHERE received_at > now() - make_interval(mins => v_minutes)),
            'late_events', (SELECT count(*) FROM ${SINK}.late_events WHERE received_at > now() - make_interval(mins => v_minutes)),
            'dead_letter_reasons', (
                SELECT coalesce(jsonb_agg(jsonb_build_object('stream', r.stream, 'reason', r.reason, 'records', r.n)
                           ORDER BY r.n DESC, r.stream, r.reason), '[]')
                FROM (SELECT stream, reason, count(*) AS n FROM ${SINK}.dead_letters
                      WHERE received_at > now() - make_interval(mins => v_minutes)
                      GROUP BY stream, reason ORDER BY n DESC, stream, reason LIMIT 10) r),
            'late_by_stream', (
                SELECT coalesce(jsonb_object_agg(l.stream, l.n), '{}')
                FROM (SELECT stream, count(*) AS n FROM ${SINK}.late_events
                      WHERE received_at > now() - make_interval(mins => v_minutes) GROUP BY stream) l))
    ) INTO v_doc;
    RETURN v_doc;
END
$$;
