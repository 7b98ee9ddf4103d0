-- funnel_metrics (SPEC §3): how many distinct users viewed, carted, started checkout and purchased each minute and
-- hour, and the conversion purchasers / viewers?
-- Window: TUMBLE 1 min and 1 h (one statement set). Formulation: distinct users are unchanged by re-delivered
-- events, so this reads the plain behavior view: no de-duplication, and the window aggregates stay insert-only.
-- conversion_rate by PULSE_RATIO (4 decimals, half up, NULL without viewers).
-- Differs from the job: no early rows, no allowed lateness, malformed lines skipped (no dead letters).
EXECUTE STATEMENT SET
BEGIN
INSERT INTO sql_funnel_metrics
SELECT '1m', window_start, window_end,
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'checkout_start'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'purchase'),
       PULSE_RATIO(COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'purchase'),
                   COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'), 4)
FROM TABLE(TUMBLE(TABLE behavior, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE))
WHERE event_type IN ('page_view', 'add_to_cart', 'checkout_start', 'purchase')
GROUP BY window_start, window_end;
INSERT INTO sql_funnel_metrics
SELECT '1h', window_start, window_end,
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'checkout_start'),
       COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'purchase'),
       PULSE_RATIO(COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'purchase'),
                   COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view'), 4)
FROM TABLE(TUMBLE(TABLE behavior, DESCRIPTOR(event_ts), INTERVAL '1' HOUR))
WHERE event_type IN ('page_view', 'add_to_cart', 'checkout_start', 'purchase')
GROUP BY window_start, window_end;
END;
