-- session_funnel (SPEC §3): per hour of session start and device (and '*'): sessions, bounced (one event) sessions,
-- how many reached view, cart, checkout, purchase in that order, mean duration and mean events per session.
-- Window: SESSION per user_id, gap ${SESSION_GAP} (touching events merge, as the job's session windows), then a
-- GROUP BY hour over the sessions (an updating aggregate, written by upsert). PULSE_SESSION (a UDAF in pulse.jar)
-- says what plain SQL cannot: the device of the first event by (event time, event_id), the ordered funnel, and the
-- number of distinct event_ids (a re-delivery carries its event time, so it lands in the same session: de-duplicating
-- inside the window aggregate keeps the SESSION window insert-only, where a ROW_NUMBER de-duplication would make
-- it consume updates, FLINK-37005). Differs from the job: no early rows, no allowed lateness, no dead letters.
INSERT INTO sql_session_funnel
SELECT hour_start, COALESCE(device_type, '*'), hour_start + INTERVAL '1' HOUR,
       COUNT(*), COUNT(*) FILTER (WHERE events = 1),
       COUNT(*) FILTER (WHERE reached >= 1), COUNT(*) FILTER (WHERE reached >= 2),
       COUNT(*) FILTER (WHERE reached >= 3), COUNT(*) FILTER (WHERE reached >= 4),
       PULSE_RATIO(SUM(last_ms - first_ms), COUNT(*) * 1000, 2),
       PULSE_RATIO(SUM(events), COUNT(*), 2)
FROM (
    SELECT FLOOR(window_start TO HOUR) AS hour_start, s.device_type AS device_type, s.reached AS reached,
           s.first_ms AS first_ms, s.last_ms AS last_ms, s.events AS events
    FROM (SELECT window_start, window_end, user_id, PULSE_SESSION(event_ts, event_id, event_type, device_type) AS s
          FROM TABLE(SESSION(TABLE behavior PARTITION BY user_id, DESCRIPTOR(event_ts), ${SESSION_GAP_INTERVAL}))
          GROUP BY window_start, window_end, user_id))
GROUP BY GROUPING SETS ((hour_start, device_type), (hour_start));
