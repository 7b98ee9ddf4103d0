-- gmv_sliding (SPEC §3): paid orders, GMV and buyers over the last 5 minutes every minute, and the last hour every
-- 5 minutes. Window: HOP (slide 1 min size 5 min; slide 5 min size 1 h), one statement set.
-- Input: paid_or_cancelled (first paid event per order in arrival order, insert-only; see order_metrics.sql for why
-- the view counts arrivals with an OVER aggregate instead of ROW_NUMBER, FLINK-37005).
-- Differs from the job: no early rows, no allowed lateness, no dead letters.
EXECUTE STATEMENT SET
BEGIN
INSERT INTO sql_gmv_sliding
SELECT 300, window_end, window_start, COUNT(DISTINCT order_id), SUM(amount), COUNT(DISTINCT user_id)
FROM TABLE(HOP(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
WHERE status = 'paid'
GROUP BY window_start, window_end;
INSERT INTO sql_gmv_sliding
SELECT 3600, window_end, window_start, COUNT(DISTINCT order_id), SUM(amount), COUNT(DISTINCT user_id)
FROM TABLE(HOP(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '5' MINUTE, INTERVAL '1' HOUR))
WHERE status = 'paid'
GROUP BY window_start, window_end;
END;
