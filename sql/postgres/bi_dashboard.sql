-- The screen's query API: one call, one JSON document holding everything a real-time screen shows. Idempotent;
-- applied after bi_views.sql. Reads the sink tables only (through bi_now() and the views of bi_views.sql).
-- Money and rates are JSON numbers written from numeric, exact to the cent (jsonb keeps numeric's digits); times are
-- ISO-8601 in UTC. Granted to pulse_reader with the schema (dev.pulse.sink.ReaderRole).

CREATE OR REPLACE FUNCTION pulse_dashboard(p_minutes integer DEFAULT 60) RETURNS jsonb
LANGUAGE plpgsql STABLE SET search_path FROM CURRENT SET TimeZone TO 'UTC' AS $$
DECLARE
    v_as_of   timestamptz := bi_now();
    v_minutes integer := least(greatest(coalesce(p_minutes, 60), 1), 1440);
    v_from    timestamptz;
    v_doc     jsonb;
BEGIN
    v_from := v_as_of - make_interval(mins => v_minutes);
    SELECT jsonb_build_object(
        'as_of', v_as_of,
        'generated_at', now(),
        'minutes', v_minutes,
        'from', v_from,
        'to', v_as_of,
        -- The 1-hour sliding window (5-minute steps) holding as_of's minute: exact distinct buyers, which minutes cannot sum to.
        'last_hour', (
            SELECT jsonb_build_object('window_start', g.window_start, 'window_end', g.window_end,
                       'orders', g.orders, 'gmv', g.gmv, 'avg_order_value', round(g.gmv / nullif(g.orders, 0), 2),
                       'buyers', g.unique_buyers, 'is_final', g.is_final)
            FROM gmv_sliding g
            WHERE g.window_size_s = 3600
              AND g.window_end <= date_bin('5 minutes', v_as_of - interval '1 minute',
                                           timestamptz '1970-01-01 00:00:00+00') + interval '5 minutes'
            ORDER BY g.window_end DESC LIMIT 1),
        -- The minutes from..to summed (orders are counted once each, in the minute they were paid).
        'summary', (
            SELECT jsonb_build_object('orders', coalesce(sum(m.orders), 0), 'gmv', coalesce(sum(m.gmv), 0),
                       'avg_order_value', round(sum(m.gmv) / nullif(sum(m.orders), 0), 2),
                       'items', coalesce(sum(m.items), 0), 'cancelled_orders', coalesce(sum(m.cancelled_orders), 0),
                       'cancelled_amount', coalesce(sum(m.cancelled_amount), 0))
            FROM order_metrics m
            WHERE m.grain = '1m' AND m.region = '*' AND m.city = '*' AND m.window_start >= v_from
              AND m.window_start < v_as_of),
        'today', (
            SELECT jsonb_build_object('day_start', t.day_start, 'orders', t.orders, 'gmv', t.gmv,
                       'avg_order_value', t.avg_order_value, 'buyers', t.unique_buyers, 'items', t.items,
                       'cancelled_orders', t.cancelled_orders, 'cancelled_amount', t.cancelled_amount,
                       'is_final', t.is_final)
            FROM bi_gmv_today t),
        -- One entry per minute from..to, zeros where nothing was paid.
        'trend', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('time', s.minute, 'orders', coalesce(m.orders, 0),
                       'gmv', coalesce(m.gmv, 0), 'buyers', coalesce(m.unique_buyers, 0)) ORDER BY s.minute), '[]')
            FROM generate_series(v_from, v_as_of - interval '1 minute', interval '1 minute') AS s(minute)
            LEFT JOIN order_metrics m ON m.grain = '1m' AND m.window_start = s.minute AND m.region = '*'
                                     AND m.city = '*'),
        -- Regions from..to by GMV (the 1-minute (region, *) rows summed).
        'top_regions', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('region', r.region, 'orders', r.orders, 'gmv', r.gmv,
                       'share', round(r.gmv / nullif(r.total, 0), 4)) ORDER BY r.gmv DESC, r.region), '[]')
            FROM (SELECT m.region, sum(m.orders) AS orders, sum(m.gmv) AS gmv, sum(sum(m.gmv)) OVER () AS total
                  FROM order_metrics m
                  WHERE m.grain = '1m' AND m.region <> '*' AND m.city = '*' AND m.window_start >= v_from
                    AND m.window_start < v_as_of
                  GROUP BY m.region) r),
        'regions_today', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('region', r.region, 'city', r.city, 'orders', r.orders,
                       'gmv', r.gmv, 'share', r.gmv_share) ORDER BY r.region, r.city = '*' DESC, r.gmv DESC, r.city), '[]')
            FROM bi_sales_by_region_today r),
        -- Per window size ("5min", "1h"): the latest closed window and the newest open one, ranks 1..10.
        'top_products', (
            SELECT coalesce(jsonb_object_agg(w.size, w.states), '{}')
            FROM (SELECT CASE p.window_size_s WHEN 300 THEN '5min' ELSE '1h' END AS size,
                         jsonb_object_agg(p.state, p.doc) AS states
                  FROM (SELECT t.window_size_s, t.state,
                               jsonb_build_object('window_start', min(t.window_start), 'window_end', min(t.window_end),
                                   'products', jsonb_agg(jsonb_build_object('rank', t.rank, 'product_id', t.product_id,
                                       'product_name', t.product_name, 'orders', t.orders, 'items', t.items,
                                       'gmv', t.gmv) ORDER BY t.rank)) AS doc
                        FROM bi_top_products_now t
                        GROUP BY t.window_size_s, t.state) p
                  GROUP BY p.window_size_s) w),
        'funnel', (
            SELECT jsonb_build_object('window_start', min(f.window_start), 'window_end', min(f.window_end),
                       'is_final', bool_and(f.is_final),
                       'steps', jsonb_agg(jsonb_build_object('step', f.step, 'users', f.users,
                           'rate_from_previous', f.rate_from_previous, 'rate_from_view', f.rate_from_view)
                           ORDER BY f.step_no))
            FROM bi_funnel_live f),
        -- Sessions that started in the hour of as_of, per device (* = all).
        'sessions', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('device_type', s.device_type, 'sessions', s.sessions,
                       'bounced_sessions', s.bounced_sessions, 'bounce_rate', s.bounce_rate,
                       'purchase_rate', s.purchase_rate, 'avg_duration_s', s.avg_duration_s)
                       ORDER BY s.device_type = '*' DESC, s.device_type), '[]')
            FROM bi_sessions_hourly s
            WHERE s.window_start = date_bin('1 hour', v_as_of - interval '1 minute', timestamptz '1970-01-01 00:00:00+00')),
        'payments', (
            SELECT coalesce(jsonb_agg(jsonb_build_object('method', p.method, 'attempts', p.attempts,
                       'succeeded', p.succeeded, 'failed', p.failed,
                       'success_rate', round(p.succeeded::numeric / nullif(p.attempts, 0), 4),
                       'amount_succeeded', p.amount_succeeded) ORDER BY p.method = '*' DESC, p.attempts DESC, p.method), '[]')
            FROM (SELECT m.method, sum(m.attempts) AS attempts, sum(m.succeeded) AS succeeded, sum(m.failed) AS failed,
                         sum(m.amount_succeeded) AS amount_succeeded
                  FROM payment_metrics m
                  WHERE m.window_start >= v_from AND m.window_start < v_as_of
                  GROUP BY m.method) p),
        -- Arrivals in the last p_minutes of the wall clock (received_at), not of the data: a bad producer now.
        'bad_input', jsonb_build_object(
            'since', now() - make_interval(mins => v_minutes),
            'dead_letters', (SELECT count(*) FROM dead_letters WHERE received_at > now() - make_interval(mins => v_minutes)),
            'late_events', (SELECT count(*) FROM late_events WHERE received_at > now() - make_interval(mins => v_minutes)),
            'dead_letter_reasons', (
                SELECT coalesce(jsonb_agg(jsonb_build_object('stream', r.stream, 'reason', r.reason, 'records', r.n)
                           ORDER BY r.n DESC, r.stream, r.reason), '[]')
                FROM (SELECT stream, reason, count(*) AS n FROM dead_letters
                      WHERE received_at > now() - make_interval(mins => v_minutes)
                      GROUP BY stream, reason ORDER BY n DESC, stream, reason LIMIT 10) r),
            'late_by_stream', (
                SELECT coalesce(jsonb_object_agg(l.stream, l.n), '{}')
                FROM (SELECT stream, count(*) AS n FROM late_events
                      WHERE received_at > now() - make_interval(mins => v_minutes) GROUP BY stream) l))
    ) INTO v_doc;
    RETURN v_doc;
END
$$;
COMMENT ON FUNCTION pulse_dashboard(integer) IS 'Everything a real-time screen shows, as one JSON document: as_of '
    '(bi_now(): the latest minute written, live = now), last_hour (latest 1-hour sliding window: GMV, orders, average '
    'order value, exact distinct buyers), summary and trend (per minute) of the last p_minutes (1..1440, default 60) '
    'ending at as_of, today, top_regions, regions_today, top_products (5min and 1h, closed and open), funnel, sessions, '
    'payments, bad_input (dead letters and late events received in the last p_minutes of the clock). Reads the sink '
    'tables only.';
