-- gmv_sliding in plain SQL: every paid order belongs to the size/slide windows whose end is one of the next
-- size/slide slide boundaries after it.
WITH paid AS (
    SELECT * FROM oracle.orders WHERE status = 'paid'
), sizes(size_s, slide) AS (
    VALUES (300, interval '1 minute'), (3600, interval '5 minutes')
), placed AS (
    SELECT s.size_s, date_bin(s.slide, p.t, timestamptz '1970-01-01 00:00:00+00') + s.slide * k AS window_end, p.*
    FROM paid p CROSS JOIN sizes s
    CROSS JOIN LATERAL generate_series(1, (s.size_s / extract(epoch FROM s.slide))::int) AS k
)
SELECT size_s, to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char((window_end - make_interval(secs => size_s)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       count(DISTINCT order_id), trim_scale(sum(amount)), count(DISTINCT user_id)
FROM placed
GROUP BY size_s, window_end
ORDER BY 1, 2;
