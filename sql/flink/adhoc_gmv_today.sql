-- Ad hoc: GMV of today (UTC) so far, updated every minute.
-- Window: CUMULATE (step 1 minute, max size 1 day): each row is the day from 00:00 UTC up to window_end.
-- Input: paid_or_cancelled (an order counts once, by its first paid event; see order_metrics.sql).
-- Printed in the client (tableau); no table is written. Over Kafka (--kafka-bootstrap) it runs live: a row per
-- minute once the watermark passes it.
SELECT window_start AS day_start, window_end AS up_to, COUNT(DISTINCT order_id) AS orders, SUM(amount) AS gmv
FROM TABLE(CUMULATE(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE, INTERVAL '1' DAY))
WHERE status = 'paid'
GROUP BY window_start, window_end;
