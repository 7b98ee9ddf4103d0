-- top_products in plain SQL: per sliding window, products ranked by orders desc, gmv desc, product_id asc
-- with row_number(); ranks 1..${TOP_N}.
WITH per_product AS (
    SELECT size_s, window_end, product_id, max(product_name) AS product_name, count(DISTINCT order_id) AS orders,
           sum(quantity) AS items, sum(amount) AS gmv
    FROM oracle.paid_in_sliding_windows GROUP BY 1, 2, 3
), ranked AS (
    SELECT *, row_number() OVER (PARTITION BY size_s, window_end ORDER BY orders DESC, gmv DESC, product_id) AS rank
    FROM per_product
)
SELECT size_s, to_char(window_end AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'), rank,
       to_char((window_end - make_interval(secs => size_s)) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS'),
       product_id, product_name, orders, items, trim_scale(gmv)
FROM ranked WHERE rank <= ${TOP_N}
ORDER BY 1, 2, 3;
