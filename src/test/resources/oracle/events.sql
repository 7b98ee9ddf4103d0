-- Typed, de-duplicated valid events from oracle.raw_events, minus the events the job under test reported in
-- ${SCHEMA}.late_events: what the metrics must count (conservation: counted, or late, never both, never neither).
CREATE OR REPLACE FUNCTION oracle.event_time(j jsonb) RETURNS timestamptz LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE jsonb_typeof(j->'event_time')
               WHEN 'number' THEN to_timestamp((j->>'event_time')::numeric / 1000)
               ELSE (j->>'event_time')::timestamptz END
$$;

-- Materialised once per comparison: every metric query reads them.
DROP TABLE IF EXISTS oracle.valid CASCADE;
DROP TABLE IF EXISTS oracle.counted CASCADE;
DROP TABLE IF EXISTS oracle.repeats CASCADE;
-- seq: the line number, i.e. arrival order within a stream's file.
CREATE TABLE oracle.valid AS
SELECT DISTINCT ON (stream, j->>'event_id') stream, j->>'event_id' AS event_id, oracle.event_time(j) AS t, seq, j
FROM (SELECT stream, line::jsonb AS j, (regexp_match(source, ':(\d+)$'))[1]::bigint AS seq
      FROM oracle.raw_events WHERE NOT malformed) lines
ORDER BY stream, j->>'event_id', seq;

-- An order is paid once (SPEC §3): a paid or cancelled event after the order's first one of that status, in
-- arrival order, is a repeat and counts nowhere (also not when the first one was late).
CREATE TABLE oracle.repeats AS
SELECT stream, event_id FROM (
    SELECT stream, event_id, row_number() OVER (PARTITION BY j->>'order_id', j->>'status' ORDER BY seq) AS nth
    FROM oracle.valid WHERE stream = 'orders' AND j->>'status' IN ('paid', 'cancelled')) ordered
WHERE nth > 1;

CREATE TABLE oracle.counted AS
SELECT v.* FROM oracle.valid v
WHERE NOT EXISTS (SELECT 1 FROM ${SCHEMA}.late_events l WHERE l.stream = v.stream AND l.event_id = v.event_id)
  AND NOT EXISTS (SELECT 1 FROM oracle.repeats r WHERE r.stream = v.stream AND r.event_id = v.event_id);
ANALYZE oracle.counted;

CREATE OR REPLACE VIEW oracle.orders AS
SELECT event_id, t, (j->>'order_id')::bigint AS order_id, (j->>'user_id')::bigint AS user_id,
       (j->>'product_id')::bigint AS product_id, j->>'product_name' AS product_name,
       (j->>'quantity')::int AS quantity, (j->>'amount')::numeric AS amount, j->>'status' AS status,
       coalesce(nullif(j->>'region', ''), 'unknown') AS region, coalesce(nullif(j->>'city', ''), 'unknown') AS city
FROM oracle.counted WHERE stream = 'orders';

CREATE OR REPLACE VIEW oracle.behavior AS
SELECT event_id, t, (j->>'user_id')::bigint AS user_id, j->>'event_type' AS event_type,
       coalesce(nullif(j->>'device_type', ''), 'other') AS device
FROM oracle.counted WHERE stream = 'behavior';

CREATE OR REPLACE VIEW oracle.payments AS
SELECT event_id, t, j->>'method' AS method, j->>'status' AS status, (j->>'amount')::numeric AS amount
FROM oracle.counted WHERE stream = 'payments';

-- Paid orders placed in every sliding window they belong to: windows (size, slide) whose end is one of the next
-- size/slide slide boundaries after the order. Shared by gmv_sliding.sql and top_products.sql.
CREATE OR REPLACE VIEW oracle.paid_in_sliding_windows AS
SELECT s.size_s, date_bin(s.slide, p.t, timestamptz '1970-01-01 00:00:00+00') + s.slide * k AS window_end, p.*
FROM oracle.orders p
CROSS JOIN (VALUES (300, interval '1 minute'), (3600, interval '5 minutes')) AS s(size_s, slide)
CROSS JOIN LATERAL generate_series(1, (s.size_s / extract(epoch FROM s.slide))::int) AS k
WHERE p.status = 'paid';
