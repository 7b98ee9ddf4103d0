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
