-- session_funnel in plain SQL: a user's events split where lag() shows a gap longer than ${GAP}; each session
-- counted in the hour of its first event, under the device of that event and '*'. Ordered funnel: first view,
-- then the first cart at or after it, the first checkout at or after that, the first purchase at or after that.
WITH marked AS (
    SELECT b.*, CASE WHEN lag(t) OVER w IS NULL OR t - lag(t) OVER w > interval '${GAP}' THEN 1 ELSE 0 END AS opens
    FROM oracle.behavior b
    WINDOW w AS (PARTITION BY user_id ORDER BY t, event_id)
), numbered AS (
    SELECT *, sum(opens) OVER (PARTITION BY user_id ORDER BY t, event_id) AS session
    FROM marked
), sessions AS (
    SELECT user_id, session, min(t) AS first_t, max(t) AS last_t, count(*) AS events,
           (array_agg(device ORDER BY t, event_id))[1] AS device,
           min(t) FILTER (WHERE event_type = 'page_view') AS viewed
    FROM numbered GROUP BY 1, 2
), carted AS (
    SELECT s.user_id, s.session, min(n.t) AS carted FROM sessions s JOIN numbered n USING (user_id, session)
    WHERE n.event_type = 'add_to_cart' AND n.t >= s.viewed GROUP BY 1, 2
), checked_out AS (
    SELECT c.user_id, c.session, min(n.t) AS checked_out FROM carted c JOIN numbered n USING (user_id, session)
    WHERE n.event_type = 'checkout_start' AND n.t >= c.carted GROUP BY 1, 2
), purchased AS (
    SELECT k.user_id, k.session, min(n.t) AS purchased FROM checked_out k JOIN numbered n USING (user_id, session)
    WHERE n.event_type = 'purchase' AND n.t >= k.checked_out GROUP BY 1, 2
), funnel AS (
    SELECT s.*, c.carted, k.checked_out, p.purchased
    FROM sessions s
    LEFT JOIN carted c USING (user_id, session)
    LEFT JOIN checked_out k USING (user_id, session)
    LEFT JOIN purchased p USING (user_id, session)
), by_device AS (
    SELECT *, device AS device_type FROM funnel UNION ALL SELECT *, '*' FROM funnel
)
SELECT to_char(date_bin(interval '1 hour', first_t, timestamptz '1970-01-01 00:00:00+00') AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS') AS hour,
       to_char(date_bin(interval '1 hour', first_t, timestamptz '1970-01-01 00:00:00+00') AT TIME ZONE 'UTC'
               + interval '1 hour', 'YYYY-MM-DD"T"HH24:MI:SS') AS hour_end,
       device_type, count(*), count(*) FILTER (WHERE events = 1), count(viewed), count(carted), count(checked_out),
       count(purchased), trim_scale(round(sum(extract(epoch FROM last_t - first_t)) / count(*), 2)),
       trim_scale(round(sum(events)::numeric / count(*), 2))
FROM by_device
GROUP BY 1, 2, 3
ORDER BY 1, 3;
