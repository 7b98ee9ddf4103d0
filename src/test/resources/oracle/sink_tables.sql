-- The job's tables in the oracle's formats: one query per metric table, each after a line "-- table: NAME".
-- table: order_metrics
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       region, city, orders, trim_scale(gmv), trim_scale(avg_order_value), items, unique_buyers,
       cancelled_orders, trim_scale(cancelled_amount)
FROM ${SCHEMA}.order_metrics ORDER BY 1, 2, 4, 5
-- table: gmv_sliding
SELECT window_size_s, to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), orders, trim_scale(gmv), unique_buyers
FROM ${SCHEMA}.gmv_sliding ORDER BY 1, 2
-- table: top_products
SELECT window_size_s, to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), rank,
       to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), product_id, product_name, orders, items,
       trim_scale(gmv)
FROM ${SCHEMA}.top_products ORDER BY 1, 2, 3
-- table: funnel_metrics
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       viewers, carters, checkouts, purchasers, trim_scale(conversion_rate)
FROM ${SCHEMA}.funnel_metrics ORDER BY 1, 2
-- table: session_funnel
SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), device_type, sessions,
       bounced_sessions, reached_view, reached_cart, reached_checkout, reached_purchase, trim_scale(avg_duration_s),
       trim_scale(avg_events)
FROM ${SCHEMA}.session_funnel WHERE sessions > 0 ORDER BY 1, 3
-- table: payment_metrics
SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), method, attempts, succeeded, failed,
       trim_scale(success_rate), trim_scale(amount_succeeded)
FROM ${SCHEMA}.payment_metrics ORDER BY 1, 3
-- table: active_users
SELECT grain, to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), event_type, users, events
FROM ${SCHEMA}.active_users ORDER BY 1, 2, 4
-- table: retention
SELECT to_char(cohort_day, 'YYYY-MM-DD'), cohort_size, retained_d1, retained_d7, retained_d30, trim_scale(rate_d1),
       trim_scale(rate_d7), trim_scale(rate_d30)
FROM ${SCHEMA}.retention WHERE cohort_size > 0 ORDER BY 1
-- table: path_transitions
SELECT to_char(window_start AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), from_event, to_event, transitions,
       trim_scale(avg_gap_s)
FROM ${SCHEMA}.path_transitions WHERE transitions > 0 ORDER BY 1, 3, 4
