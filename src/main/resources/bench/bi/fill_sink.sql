-- bin/pulse-bi-bench: fills the sink tables (search_path = the job's schema) with ${DAYS} days of window rows ending
-- at ${END} (the end of the current minute, still open), as the job would have written them: one shop with about
-- ${RATE} paid orders per second (+-20 % per minute), the generator's regions, cities, methods and devices.
-- Values are plausible and self-consistent where it is cheap (rollups are sums of their parts, 1 h / 1 d rows sum
-- their minutes, distinct counts shrink with the window); they are not the output of a real run.
SELECT setseed(0.42);

CREATE TEMP TABLE bench_city (region text, city text, weight numeric);
INSERT INTO bench_city
SELECT r.region, c.city, r.weight / r.cities
FROM (VALUES ('华东', 0.34, ARRAY['上海', '杭州', '南京', '苏州']), ('华北', 0.26, ARRAY['北京', '天津', '石家庄']),
             ('华南', 0.20, ARRAY['广州', '深圳', '厦门']), ('西南', 0.12, ARRAY['成都', '重庆']),
             ('华中', 0.08, ARRAY['武汉', '长沙'])) AS r0(region, weight, cs)
CROSS JOIN LATERAL (SELECT r0.region, r0.weight::numeric, cardinality(r0.cs) AS cities) r
CROSS JOIN LATERAL unnest(r0.cs) AS c(city);

CREATE TEMP TABLE bench_minute AS
SELECT m AS window_start, m + interval '1 minute' AS window_end,
       (m + interval '1 minute' < timestamptz '${END}') AS is_final,
       ${RATE} * 60 * (0.8 + 0.4 * random()) AS paid_rate
FROM generate_series(timestamptz '${END}' - interval '${DAYS} days', timestamptz '${END}' - interval '1 minute',
                     interval '1 minute') AS m;

-- order_metrics, 1 minute, (region, city) first.
CREATE TEMP TABLE bench_om AS
SELECT m.window_start, m.window_end, c.region, c.city, o.orders,
       round(o.orders * (190 + 70 * random())::numeric, 2) AS gmv,
       round(o.orders * (1.4 + 0.4 * random()))::bigint AS items,
       round(o.orders * 0.97)::bigint AS unique_buyers,
       floor(o.orders * 0.1 * random() + random())::bigint AS cancelled_orders, m.is_final
FROM bench_minute m CROSS JOIN bench_city c
CROSS JOIN LATERAL (SELECT round(m.paid_rate * c.weight * (0.7 + 0.6 * random()))::bigint AS orders) o;

INSERT INTO order_metrics (grain, window_start, window_end, region, city, orders, gmv, avg_order_value, items,
                           unique_buyers, cancelled_orders, cancelled_amount, is_final)
SELECT '1m', window_start, window_end, region, city, orders, gmv, round(gmv / nullif(orders, 0), 2), items,
       unique_buyers, cancelled_orders, round(cancelled_orders * 225.00, 2), is_final
FROM (SELECT window_start, window_end, coalesce(region, '*') AS region, coalesce(city, '*') AS city,
             sum(orders) AS orders, sum(gmv) AS gmv, sum(items) AS items, sum(unique_buyers) AS unique_buyers,
             sum(cancelled_orders) AS cancelled_orders, bool_and(is_final) AS is_final
      FROM bench_om
      GROUP BY window_start, window_end, GROUPING SETS ((), (region), (region, city))) g
WHERE orders > 0 OR region = '*';

INSERT INTO order_metrics (grain, window_start, window_end, region, city, orders, gmv, avg_order_value, items,
                           unique_buyers, cancelled_orders, cancelled_amount, is_final)
SELECT g.grain, g.ws, g.ws + g.len, region, city, sum(orders), sum(gmv), round(sum(gmv) / nullif(sum(orders), 0), 2),
       sum(items), round(sum(unique_buyers) * g.distinct_share)::bigint, sum(cancelled_orders),
       sum(cancelled_amount), bool_and(is_final) AND g.ws + g.len <= timestamptz '${END}' - interval '1 minute'
FROM (SELECT s.grain, s.len, s.distinct_share, date_bin(s.len, m.window_start, timestamptz '1970-01-01 00:00:00+00') AS ws,
             m.region, m.city, m.orders, m.gmv, m.items, m.unique_buyers, m.cancelled_orders, m.cancelled_amount, m.is_final
      FROM order_metrics m
      CROSS JOIN (VALUES ('1h', interval '1 hour', 0.9), ('1d', interval '1 day', 0.6)) AS s(grain, len, distinct_share)
      WHERE m.grain = '1m') g
GROUP BY g.grain, g.ws, g.len, g.distinct_share, region, city;

-- gmv_sliding: 5 minutes every minute, 1 hour every 5 minutes, from the company-wide minutes.
INSERT INTO gmv_sliding (window_size_s, window_end, window_start, orders, gmv, unique_buyers, is_final)
SELECT 300, window_end, window_end - interval '5 minutes', o5, g5, round(o5 * 0.96)::bigint, is_final
FROM (SELECT window_end, is_final,
             sum(orders) OVER w5 AS o5, sum(gmv) OVER w5 AS g5
      FROM order_metrics WHERE grain = '1m' AND region = '*' AND city = '*'
      WINDOW w5 AS (ORDER BY window_start ROWS 4 PRECEDING)) s;
INSERT INTO gmv_sliding (window_size_s, window_end, window_start, orders, gmv, unique_buyers, is_final)
SELECT 3600, window_end, window_end - interval '1 hour', o60, g60, round(o60 * 0.8)::bigint, is_final
FROM (SELECT window_end, is_final,
             sum(orders) OVER w60 AS o60, sum(gmv) OVER w60 AS g60
      FROM order_metrics WHERE grain = '1m' AND region = '*' AND city = '*'
      WINDOW w60 AS (ORDER BY window_start ROWS 59 PRECEDING)) s
WHERE extract(epoch FROM window_end)::bigint % 300 = 0;

-- top_products: ranks 1..10 of each sliding window, products from a skewed catalogue of 500.
INSERT INTO top_products (window_size_s, window_end, rank, window_start, product_id, product_name, orders, items, gmv,
                          is_final)
SELECT g.window_size_s, g.window_end, r.rank, g.window_start, p.product_id,
       (ARRAY['electronics', 'apparel', 'home', 'beauty', 'books', 'grocery', 'toys', 'sports'])[p.product_id % 8 + 1]
           || ' item ' || p.product_id,
       r.orders, round(r.orders * 1.5)::bigint, round(r.orders * 1.3 * (10 + (p.product_id * 37) % 230 + 0.99), 2), g.is_final
FROM gmv_sliding g
CROSS JOIN LATERAL (SELECT k AS rank, greatest(1, floor(g.orders * 0.03 / power(k, 0.7)))::bigint AS orders
                    FROM generate_series(1, 10) AS k) r
CROSS JOIN LATERAL (SELECT ((extract(epoch FROM g.window_end)::bigint / 60 * 7 + r.rank * 13) % 40) + 1 AS product_id) p;

-- funnel_metrics: distinct users per step, per minute and per hour.
INSERT INTO funnel_metrics (grain, window_start, window_end, viewers, carters, checkouts, purchasers, conversion_rate,
                            is_final)
SELECT '1m', window_start, window_end, v, c, k, p, round(p::numeric / nullif(v, 0), 4), is_final
FROM (SELECT window_start, window_end, is_final, round(orders * (5.5 + random()))::bigint AS v,
             round(orders * (2.2 + 0.5 * random()))::bigint AS c, round(orders * (1.2 + 0.2 * random()))::bigint AS k,
             round(orders * 0.95)::bigint AS p
      FROM order_metrics WHERE grain = '1m' AND region = '*' AND city = '*') s;
INSERT INTO funnel_metrics (grain, window_start, window_end, viewers, carters, checkouts, purchasers, conversion_rate,
                            is_final)
SELECT '1h', h, h + interval '1 hour', v, c, k, p, round(p::numeric / nullif(v, 0), 4),
       h + interval '1 hour' <= timestamptz '${END}' - interval '1 minute'
FROM (SELECT date_bin('1 hour', window_start, timestamptz '1970-01-01 00:00:00+00') AS h,
             round(sum(viewers) * 0.55)::bigint AS v, round(sum(carters) * 0.7)::bigint AS c,
             round(sum(checkouts) * 0.85)::bigint AS k, round(sum(purchasers) * 0.9)::bigint AS p
      FROM funnel_metrics WHERE grain = '1m' GROUP BY 1) s;

-- session_funnel: per hour of session start and device (and *).
INSERT INTO session_funnel (window_start, device_type, window_end, sessions, bounced_sessions, reached_view,
                            reached_cart, reached_checkout, reached_purchase, avg_duration_s, avg_events, is_final)
SELECT window_start, coalesce(device, '*'), window_start + interval '1 hour', sum(s), sum(b), sum(v), sum(c), sum(k),
       sum(p), round(avg(d)::numeric, 2), round(avg(e)::numeric, 2), bool_and(f)
FROM (SELECT h.window_start, d.device, round(h.orders * 3.2 * d.w)::bigint AS s, round(h.orders * 3.2 * d.w * 0.38)::bigint AS b,
             round(h.orders * 3.1 * d.w)::bigint AS v, round(h.orders * 1.3 * d.w)::bigint AS c,
             round(h.orders * 1.05 * d.w)::bigint AS k, round(h.orders * 0.9 * d.w)::bigint AS p,
             240 + 120 * random() AS d, 4 + random() AS e,
             h.window_start + interval '1 hour' + interval '30 minutes' <= timestamptz '${END}' AS f
      FROM order_metrics h
      CROSS JOIN (VALUES ('desktop', 0.42), ('mobile', 0.48), ('tablet', 0.07), ('other', 0.03)) AS d(device, w)
      WHERE h.grain = '1h' AND h.region = '*' AND h.city = '*') s
GROUP BY window_start, GROUPING SETS ((), (device));

-- payment_metrics: attempts per minute by method and *.
INSERT INTO payment_metrics (window_start, method, window_end, attempts, succeeded, failed, success_rate,
                             amount_succeeded, is_final)
SELECT window_start, coalesce(method, '*'), window_start + interval '1 minute', sum(a), sum(a - f), sum(f),
       round(sum(a - f)::numeric / nullif(sum(a), 0), 4), sum(amt), bool_and(is_final)
FROM (SELECT m.window_start, x.method, m.is_final, a.a, a.f, round((a.a - a.f) * (190 + 70 * random())::numeric, 2) AS amt
      FROM order_metrics m
      CROSS JOIN (VALUES ('alipay', 0.4), ('wechat_pay', 0.35), ('card', 0.2), ('paypal', 0.05)) AS x(method, w)
      CROSS JOIN LATERAL (SELECT round(m.orders * x.w * 1.07)::bigint AS a) a0
      CROSS JOIN LATERAL (SELECT a0.a, least(a0.a, floor(a0.a * 0.12 * random() + random()))::bigint AS f) a
      WHERE m.grain = '1m' AND m.region = '*' AND m.city = '*') s
GROUP BY window_start, GROUPING SETS ((), (method));

-- active_users: per 1 m / 1 h / 1 d window and event type (and *).
INSERT INTO active_users (grain, window_start, event_type, window_end, users, events, is_final)
SELECT g.grain, date_bin(g.len, m.window_start, timestamptz '1970-01-01 00:00:00+00') AS ws, t.event_type,
       date_bin(g.len, m.window_start, timestamptz '1970-01-01 00:00:00+00') + g.len,
       round(sum(m.viewers) * t.share * g.distinct_share)::bigint, round(sum(m.viewers) * t.share * 1.6)::bigint,
       bool_and(m.is_final) AND date_bin(g.len, m.window_start, timestamptz '1970-01-01 00:00:00+00') + g.len
                                <= timestamptz '${END}' - interval '1 minute'
FROM funnel_metrics m
CROSS JOIN (VALUES ('1m', interval '1 minute', 1.0), ('1h', interval '1 hour', 0.5), ('1d', interval '1 day', 0.2))
    AS g(grain, len, distinct_share)
CROSS JOIN (VALUES ('*', 1.1), ('page_view', 1.0), ('click', 0.6), ('add_to_cart', 0.4), ('checkout_start', 0.2),
                   ('purchase', 0.17)) AS t(event_type, share)
WHERE m.grain = '1m'
GROUP BY g.grain, g.len, g.distinct_share, ws, t.event_type, t.share;

-- Bad input: a few hundred dead letters and late events over the period (received_at: the clock), some in the last hour.
INSERT INTO dead_letters (stream, reason, payload, source, received_at)
SELECT (ARRAY['orders', 'behavior', 'payments'])[1 + i % 3],
       (ARRAY['not JSON: unexpected end of input', 'amount: must be >= 0', 'event_time: missing',
              'status: not one of pending, paid, completed, cancelled'])[1 + i % 4],
       '{"bench": ' || i || '}', 'bench:' || i,
       now() - (interval '${DAYS} days') * (i::double precision / 600)
FROM generate_series(1, 600) AS i;
INSERT INTO late_events (stream, event_id, event_time, payload, watermark, received_at)
SELECT (ARRAY['orders', 'behavior', 'payments'])[1 + i % 3], 'bench-late-' || i,
       now() - (interval '${DAYS} days') * (i::double precision / 300) - interval '7 minutes',
       jsonb_build_object('event_id', 'bench-late-' || i),
       now() - (interval '${DAYS} days') * (i::double precision / 300) - interval '1 minute',
       now() - (interval '${DAYS} days') * (i::double precision / 300)
FROM generate_series(1, 300) AS i;

ANALYZE order_metrics, gmv_sliding, top_products, funnel_metrics, session_funnel, payment_metrics, active_users,
        dead_letters, late_events;
