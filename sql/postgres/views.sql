-- Views for BI tools over the sink tables. Idempotent (CREATE OR REPLACE); applied after schema.sql.

-- Company-wide GMV per window, one row per grain and window: the headline number.
CREATE OR REPLACE VIEW gmv_total AS
SELECT grain, window_start, window_end, orders, gmv, avg_order_value, items, unique_buyers,
       cancelled_orders, cancelled_amount, is_final, updated_at
FROM order_metrics
WHERE region = '*' AND city = '*';

-- GMV per region (city rolled up), per grain and window.
CREATE OR REPLACE VIEW gmv_by_region AS
SELECT grain, window_start, window_end, region, orders, gmv, avg_order_value, items, unique_buyers,
       cancelled_orders, cancelled_amount, is_final, updated_at
FROM order_metrics
WHERE region <> '*' AND city = '*';

-- Bad input per stream and reason over the last day: what producers should fix first.
CREATE OR REPLACE VIEW dead_letter_summary AS
SELECT stream, reason, count(*) AS records, max(received_at) AS last_seen
FROM dead_letters
WHERE received_at > now() - interval '1 day'
GROUP BY stream, reason;

-- The latest closed top-N per sliding window size: what a "best sellers right now" panel shows.
CREATE OR REPLACE VIEW top_products_latest AS
SELECT t.*
FROM top_products t
JOIN (SELECT window_size_s, max(window_end) AS window_end FROM top_products WHERE is_final GROUP BY 1) latest
  USING (window_size_s, window_end);

-- Hourly funnel with step-to-step rates (NULL where the step before had nobody).
CREATE OR REPLACE VIEW funnel_hourly AS
SELECT window_start, window_end, viewers, carters, checkouts, purchasers, conversion_rate,
       round(carters::numeric / nullif(viewers, 0), 4)   AS view_to_cart,
       round(checkouts::numeric / nullif(carters, 0), 4) AS cart_to_checkout,
       round(purchasers::numeric / nullif(checkouts, 0), 4) AS checkout_to_purchase,
       is_final, updated_at
FROM funnel_metrics
WHERE grain = '1h';

-- The 10 most frequent transitions (from_event -> to_event) of each hour, ranked by count, then from/to.
CREATE OR REPLACE VIEW top_transitions_hourly AS
SELECT window_start, window_end, rank, from_event, to_event, transitions, avg_gap_s, is_final
FROM (SELECT p.*, row_number() OVER (PARTITION BY window_start
                                     ORDER BY transitions DESC, from_event, to_event) AS rank
      FROM path_transitions p WHERE transitions > 0) ranked
WHERE rank <= 10;

-- The retention triangle for BI: one row per cohort and day K (1, 7, 30) with the retained users and the rate;
-- a day not yet reached (cohort_day + K after the latest window the job has written) is left out.
CREATE OR REPLACE VIEW retention_triangle AS
SELECT r.cohort_day, k.day AS day_k, r.cohort_size,
       CASE k.day WHEN 1 THEN r.retained_d1 WHEN 7 THEN r.retained_d7 ELSE r.retained_d30 END AS retained,
       CASE k.day WHEN 1 THEN r.rate_d1 WHEN 7 THEN r.rate_d7 ELSE r.rate_d30 END AS rate,
       r.is_final
FROM retention r
CROSS JOIN (VALUES (1), (7), (30)) AS k(day)
WHERE r.cohort_day + k.day <= (SELECT coalesce(max(window_start), now())::date FROM active_users WHERE grain = '1d');
