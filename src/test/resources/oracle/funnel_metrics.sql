-- funnel_metrics in plain SQL: distinct users per step per tumbling window; conversion = purchasers / viewers.
WITH grains(grain, size) AS (
    VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour')
), steps AS (
    SELECT g.grain, g.size, date_bin(g.size, b.t, timestamptz '1970-01-01 00:00:00+00') AS window_start, b.*
    FROM oracle.behavior b CROSS JOIN grains g
    WHERE b.event_type IN ('page_view', 'add_to_cart', 'checkout_start', 'purchase')
), counts AS (
    SELECT grain, size, window_start,
           count(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS viewers,
           count(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart') AS carters,
           count(DISTINCT user_id) FILTER (WHERE event_type = 'checkout_start') AS checkouts,
           count(DISTINCT user_id) FILTER (WHERE event_type = 'purchase') AS purchasers
    FROM steps GROUP BY 1, 2, 3
)
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char((window_start + size) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       viewers, carters, checkouts, purchasers, trim_scale(round(purchasers::numeric / nullif(viewers, 0), 4))
FROM counts
ORDER BY 1, 2;
