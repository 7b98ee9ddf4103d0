-- Ad hoc (the README's walk-through): GMV by region over the last 10 minutes, every 2 minutes.
-- Window: HOP (slide 2 min, size 10 min) over paid orders (first paid event per order, see order_metrics.sql).
SELECT window_end, region, COUNT(DISTINCT order_id) AS orders, SUM(amount) AS gmv
FROM TABLE(HOP(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '2' MINUTE, INTERVAL '10' MINUTE))
WHERE status = 'paid'
GROUP BY window_start, window_end, region;
