-- path_transitions in plain SQL: lead() over a user's events by (t, event_id); a pair at most ${GAP} apart is a
-- transition (inside one session), counted in the hour of its first event; mean gap in seconds, 2 decimals.
WITH pairs AS (
    SELECT t, event_type, lead(t) OVER w AS next_t, lead(event_type) OVER w AS next_type
    FROM oracle.behavior
    WINDOW w AS (PARTITION BY user_id ORDER BY t, event_id COLLATE "C")
), transitions AS (
    SELECT date_bin(interval '1 hour', t, timestamptz '1970-01-01 00:00:00+00') AS hour, event_type, next_type,
           extract(epoch FROM next_t - t) * 1000 AS gap_ms
    FROM pairs
    WHERE next_t IS NOT NULL AND next_t - t <= interval '${GAP}'
)
SELECT to_char(hour AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char((hour + interval '1 hour') AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       event_type, next_type, count(*), trim_scale(round(sum(gap_ms) / (count(*) * 1000), 2))
FROM transitions
GROUP BY hour, event_type, next_type
ORDER BY 1, 3, 4;
