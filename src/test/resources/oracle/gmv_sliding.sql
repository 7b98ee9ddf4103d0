-- gmv_sliding in plain SQL over oracle.paid_in_sliding_windows (events.sql).

SELECT size_s, to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char((window_end - make_interval(secs => size_s)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       count(DISTINCT order_id), trim_scale(sum(amount)), count(DISTINCT user_id)
FROM oracle.paid_in_sliding_windows
GROUP BY size_s, window_end
ORDER BY 1, 2;
