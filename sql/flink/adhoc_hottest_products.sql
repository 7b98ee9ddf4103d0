-- Ad hoc: the 5 hottest products of the last hour, refreshed every 5 minutes, by distinct users who added them to
-- the cart (behaviour stream: interest before purchase; compare top_products.sql, which ranks paid orders).
-- Window: Window Top-N over HOP (slide 5 min, size 1 h). Re-delivered events do not change distinct users, so the
-- plain behavior view is enough and everything stays insert-only.
SELECT window_end, rn AS `rank`, product_id, carters, viewers FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY window_start, window_end ORDER BY carters DESC, viewers DESC, product_id) AS rn
    FROM (SELECT window_start, window_end, product_id,
                 COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'add_to_cart') AS carters,
                 COUNT(DISTINCT user_id) FILTER (WHERE event_type = 'page_view') AS viewers
          FROM TABLE(HOP(TABLE behavior, DESCRIPTOR(event_ts), INTERVAL '5' MINUTE, INTERVAL '1' HOUR))
          WHERE product_id IS NOT NULL
          GROUP BY window_start, window_end, product_id))
WHERE rn <= 5;
