-- active_users in plain SQL: count(DISTINCT user_id) and count(*) per tumbling window, per event type and '*'.
WITH grains(grain, size) AS (
    VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour'), ('1d', interval '1 day')
), binned AS (
    SELECT g.grain, g.size, date_bin(g.size, b.t, timestamptz '1970-01-01 00:00:00+00') AS window_start,
           b.user_id, b.event_type
    FROM oracle.behavior b CROSS JOIN grains g
), typed AS (
    SELECT grain, size, window_start, user_id, event_type FROM binned
    UNION ALL
    SELECT grain, size, window_start, user_id, '*' FROM binned
)
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char((window_start + size) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       event_type, count(DISTINCT user_id), count(*)
FROM typed
GROUP BY grain, size, window_start, event_type
ORDER BY 1, 2, 4;
