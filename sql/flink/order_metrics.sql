-- order_metrics (SPEC §3): GMV, orders, items, buyers and cancellations per minute, hour and day, by region and city
-- with the rollups (*,*), (region,*), (region,city).
-- Window: TUMBLE 1 min / 1 h / 1 day over event time (one INSERT each, in one statement set = one job), GROUPING
-- SETS for the rollups. Input: paid_or_cancelled (01_views.sql): each order's FIRST paid and first cancelled event in
-- arrival order (the repeat of a paid event has a new event_id, another amount and often another window, so only a
-- global first-arrival de-duplication says it). The view keeps the row whose running COUNT(*) OVER (order, status)
-- by arrival is 1: an append-only OVER aggregate, so these window aggregates stay insert-only (a ROW_NUMBER
-- keep-first would be planned as an updating stream by Flink 2.0.0, FLINK-37005, and make them retracting).
-- avg_order_value by PULSE_RATIO: one exact half-up rounding to 2 decimals, as the job.
-- Differs from the job: no early rows, no allowed lateness (behind the watermark = dropped, not late_events), no
-- dead letters (malformed lines skipped).
EXECUTE STATEMENT SET
BEGIN
INSERT INTO sql_order_metrics
SELECT '1m', window_start, window_end, COALESCE(region, '*'), COALESCE(city, '*'),
       COUNT(DISTINCT order_id) FILTER (WHERE status = 'paid'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0),
       PULSE_RATIO(SUM(amount) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'paid'), 2),
       COALESCE(SUM(CAST(quantity AS BIGINT)) FILTER (WHERE status = 'paid'), 0),
       COUNT(DISTINCT user_id) FILTER (WHERE status = 'paid'),
       COUNT(*) FILTER (WHERE status = 'cancelled'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'cancelled'), 0)
FROM TABLE(TUMBLE(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, GROUPING SETS ((), (region), (region, city));
INSERT INTO sql_order_metrics
SELECT '1h', window_start, window_end, COALESCE(region, '*'), COALESCE(city, '*'),
       COUNT(DISTINCT order_id) FILTER (WHERE status = 'paid'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0),
       PULSE_RATIO(SUM(amount) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'paid'), 2),
       COALESCE(SUM(CAST(quantity AS BIGINT)) FILTER (WHERE status = 'paid'), 0),
       COUNT(DISTINCT user_id) FILTER (WHERE status = 'paid'),
       COUNT(*) FILTER (WHERE status = 'cancelled'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'cancelled'), 0)
FROM TABLE(TUMBLE(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' HOUR))
GROUP BY window_start, window_end, GROUPING SETS ((), (region), (region, city));
INSERT INTO sql_order_metrics
SELECT '1d', window_start, window_end, COALESCE(region, '*'), COALESCE(city, '*'),
       COUNT(DISTINCT order_id) FILTER (WHERE status = 'paid'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'paid'), 0),
       PULSE_RATIO(SUM(amount) FILTER (WHERE status = 'paid'), COUNT(*) FILTER (WHERE status = 'paid'), 2),
       COALESCE(SUM(CAST(quantity AS BIGINT)) FILTER (WHERE status = 'paid'), 0),
       COUNT(DISTINCT user_id) FILTER (WHERE status = 'paid'),
       COUNT(*) FILTER (WHERE status = 'cancelled'),
       COALESCE(SUM(amount) FILTER (WHERE status = 'cancelled'), 0)
FROM TABLE(TUMBLE(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' DAY))
GROUP BY window_start, window_end, GROUPING SETS ((), (region), (region, city));
END;
