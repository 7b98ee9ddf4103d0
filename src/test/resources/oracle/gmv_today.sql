-- sql/flink/adhoc_gmv_today.sql (CUMULATE, step 1 minute, max 1 day) in plain SQL: for each UTC day with a paid
-- order, every minute end from just after its first paid order's minute up to the day's end (24:00), with the day's
-- paid orders before that end (each order once, by its first paid event: oracle.orders has the repeats removed).
WITH paid AS (
    SELECT order_id, amount, t, date_bin(interval '1 day', t, timestamptz '1970-01-01 00:00:00+00') AS day_start
    FROM oracle.orders WHERE status = 'paid'
), days AS (
    SELECT day_start, min(date_bin(interval '1 minute', t, timestamptz '1970-01-01 00:00:00+00')) AS first_minute
    FROM paid GROUP BY day_start
), ends AS (
    SELECT d.day_start, e.up_to
    FROM days d CROSS JOIN LATERAL generate_series(d.first_minute + interval '1 minute',
                                                  d.day_start + interval '1 day', interval '1 minute') AS e(up_to)
)
SELECT to_char(e.day_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(e.up_to AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       count(DISTINCT p.order_id), trim_scale(sum(p.amount))
FROM ends e JOIN paid p ON p.day_start = e.day_start AND p.t < e.up_to
GROUP BY e.day_start, e.up_to
ORDER BY 1, 2;
