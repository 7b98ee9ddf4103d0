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
