-- payment_metrics in plain SQL: attempts per tumbling minute by method and '*'.
WITH levels AS (
    SELECT t, method, status, amount FROM oracle.payments
    UNION ALL SELECT t, '*', status, amount FROM oracle.payments
)
SELECT to_char(date_bin(interval '1 minute', t, timestamptz '1970-01-01 00:00:00+00') AT TIME ZONE 'UTC',
               'YYYY-MM-DD"T"HH24:MI:SS') AS minute,
       to_char(date_bin(interval '1 minute', t, timestamptz '1970-01-01 00:00:00+00') AT TIME ZONE 'UTC'
               + interval '1 minute', 'YYYY-MM-DD"T"HH24:MI:SS') AS minute_end,
       method, count(*), count(*) FILTER (WHERE status = 'success'), count(*) FILTER (WHERE status = 'failed'),
       trim_scale(round(count(*) FILTER (WHERE status = 'success')::numeric / count(*), 4)),
       trim_scale(coalesce(sum(amount) FILTER (WHERE status = 'success'), 0))
FROM levels
GROUP BY 1, 2, 3
ORDER BY 1, 3;
