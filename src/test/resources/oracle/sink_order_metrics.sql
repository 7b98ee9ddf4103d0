-- order_metrics as the job wrote it, in the oracle's format.
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       region, city, orders, trim_scale(gmv), trim_scale(avg_order_value), items, unique_buyers,
       cancelled_orders, trim_scale(cancelled_amount)
FROM ${SCHEMA}.order_metrics
ORDER BY 1, 2, 4, 5;
