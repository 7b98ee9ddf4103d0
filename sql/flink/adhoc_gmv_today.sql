-- Ad hoc: GMV of today (UTC) so far, updated every minute.
-- Window: CUMULATE (step 1 minute, max size 1 day): each row is the day from 00:00 UTC up to window_end.
-- Input: paid_or_cancelled (an order counts once, by its first paid event; see order_metrics.sql).
-- Printed in the client (tableau); no table is written (with --jdbc-url, prefix the query with
-- INSERT INTO sql_gmv_today to keep it: one row per (day_start, up_to); SqlClientScriptsIT runs it that way and
-- compares it with plain SQL over the raw events). Each UTC day with a paid order gets a row for every minute from
-- its first paid order's minute to 24:00, also minutes after the input ends. Over Kafka (--kafka-bootstrap) it runs
-- live: a row per minute once the watermark passes it.
SELECT window_start AS day_start, window_end AS up_to, COUNT(DISTINCT order_id) AS orders, SUM(amount) AS gmv
FROM TABLE(CUMULATE(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE, INTERVAL '1' DAY))
WHERE status = 'paid'
GROUP BY window_start, window_end;
