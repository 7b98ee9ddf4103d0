-- top_products (SPEC §3): the ${TOP_N} best-selling products of the last 5 minutes (every minute) and the last hour
-- (every 5 minutes), by paid orders desc, GMV desc, product_id asc; ranks 1..N without gaps.
-- Window: Window Top-N (ROW_NUMBER over window_start, window_end) over a HOP window aggregate per product: Flink
-- plans it as a window rank, insert-only, emitted once per window at close. Input: paid_or_cancelled (first paid
-- event per order; see order_metrics.sql). Differs from the job: no early rows, no allowed lateness, no dead letters.
EXECUTE STATEMENT SET
BEGIN
INSERT INTO sql_top_products
SELECT 300, window_end, CAST(rn AS INT), window_start, product_id, product_name, orders, items, gmv FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
                                 ORDER BY orders DESC, gmv DESC, product_id ASC) AS rn
    FROM (SELECT window_start, window_end, product_id, MAX(product_name) AS product_name,
                 COUNT(DISTINCT order_id) AS orders, SUM(CAST(quantity AS BIGINT)) AS items, SUM(amount) AS gmv
          FROM TABLE(HOP(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE))
          WHERE status = 'paid'
          GROUP BY window_start, window_end, product_id))
WHERE rn <= ${TOP_N};
INSERT INTO sql_top_products
SELECT 3600, window_end, CAST(rn AS INT), window_start, product_id, product_name, orders, items, gmv FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end
                                 ORDER BY orders DESC, gmv DESC, product_id ASC) AS rn
    FROM (SELECT window_start, window_end, product_id, MAX(product_name) AS product_name,
                 COUNT(DISTINCT order_id) AS orders, SUM(CAST(quantity AS BIGINT)) AS items, SUM(amount) AS gmv
          FROM TABLE(HOP(TABLE paid_or_cancelled, DESCRIPTOR(event_ts), INTERVAL '5' MINUTE, INTERVAL '1' HOUR))
          WHERE status = 'paid'
          GROUP BY window_start, window_end, product_id))
WHERE rn <= ${TOP_N};
END;
