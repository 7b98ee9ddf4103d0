-- payment_metrics (SPEC §3): how many payment attempts succeeded and failed each minute, per method and overall ('*')?
-- Window: TUMBLE 1 minute over event time, with GROUPING SETS for the '*' rollup (one insert-only window aggregate).
-- Formulation: payments_once (01_views.sql) drops re-delivered event_ids by the first arrival of each event_id, as a
-- running COUNT(*) OVER (append-only): a ROW_NUMBER keep-first is planned as an updating stream by Flink 2.0.0
-- (FLINK-37005) and would turn this window aggregate into a retracting one. success_rate by PULSE_RATIO: one exact half-up rounding to 4 decimals.
-- Differs from the job: no early rows (a window is written once, at close) and no allowed lateness (an event
-- behind the watermark is dropped, not written to late_events); malformed lines are skipped, not dead letters.
INSERT INTO sql_payment_metrics
SELECT window_start, COALESCE(`method`, '*') AS `method`, window_end,
       COUNT(*) AS attempts,
       COUNT(*) FILTER (WHERE status = 'success') AS succeeded,
       COUNT(*) FILTER (WHERE status = 'failed') AS failed,
       PULSE_RATIO(COUNT(*) FILTER (WHERE status = 'success'), COUNT(*), 4) AS success_rate,
       COALESCE(SUM(amount) FILTER (WHERE status = 'success'), 0) AS amount_succeeded
FROM TABLE(TUMBLE(TABLE payments_once, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE))
GROUP BY window_start, window_end, GROUPING SETS ((`method`), ());
