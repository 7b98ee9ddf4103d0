-- Typed views over the raw streams, for any source. Lines the job makes dead letters are NULL rows of the parse
-- functions and left out here (the job keeps them in dead_letters; SQL has nowhere to put them: count them with
-- SELECT COUNT(*) FROM orders_raw WHERE PULSE_ORDER(line) IS NULL).
CREATE VIEW orders AS
SELECT o.event_id, event_ts, o.order_id, o.user_id, o.product_id, o.product_name, o.category, o.quantity, o.price,
       o.amount, o.status, o.region, o.city, proc_time
FROM (SELECT PULSE_ORDER(line) AS o, event_ts, proc_time FROM orders_raw)
WHERE o IS NOT NULL;

CREATE VIEW behavior AS
SELECT b.event_id, event_ts, b.user_id, b.event_type, b.session_id, b.product_id, b.page_url, b.referrer,
       b.device_type, b.region, proc_time
FROM (SELECT PULSE_BEHAVIOR(line) AS b, event_ts, proc_time FROM behavior_raw)
WHERE b IS NOT NULL;

CREATE VIEW payments AS
SELECT p.event_id, event_ts, p.payment_id, p.order_id, p.user_id, p.amount, p.`method`, p.status, proc_time
FROM (SELECT PULSE_PAYMENT(line) AS p, event_ts, proc_time FROM payments_raw)
WHERE p IS NOT NULL;

-- De-duplicated streams (SPEC §1: an event_id counts once; SPEC §3: an order is paid once, by its first paid event
-- in arrival order, and cancelled once): the first ARRIVAL of a key, i.e. line order with --input, partition order
-- with Kafka (one source reader per stream). Formulation: a running COUNT(*) OVER the key ORDER BY PROCTIME() and
-- keep the row where it is 1. The textbook keep-first (ROW_NUMBER() ... ORDER BY proc_time = 1) means the same, but
-- Flink 2.0.0 infers it as an updating stream ([I,UB,UA,D], FLINK-37005, fixed after 2.0.0): every window
-- aggregate below it then runs retract-capable accumulators (COUNT_RETRACT ...). An OVER aggregate is append-only,
-- so the windows over these views stay insert-only (EXPLAIN CHANGELOG_MODE shows [I] throughout; SqlClientScriptsIT
-- pins it). State: one counter per key; on a long-running live query set 'table.exec.state.ttl'.
-- (Views are catalog views, not TEMPORARY: a window TVF over a temporary view fails in the 2.0.0 SQL client with
-- "belongs to a different planner".)
CREATE VIEW payments_once AS
SELECT event_id, event_ts, payment_id, order_id, user_id, amount, `method`, status FROM (
    SELECT *, COUNT(*) OVER (PARTITION BY event_id ORDER BY proc_time
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nth FROM payments)
WHERE nth = 1;

CREATE VIEW behavior_once AS
SELECT event_id, event_ts, user_id, event_type, session_id, product_id, page_url, referrer, device_type, region FROM (
    SELECT *, COUNT(*) OVER (PARTITION BY event_id ORDER BY proc_time
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nth FROM behavior)
WHERE nth = 1;

-- The orders that move money: each order's first paid and first cancelled event (a re-delivery of that event
-- is a later arrival of the same key, so this de-duplicates by event_id too).
CREATE VIEW paid_or_cancelled AS
SELECT event_id, event_ts, order_id, user_id, product_id, product_name, category, quantity, price, amount, status,
       region, city FROM (
    SELECT *, COUNT(*) OVER (PARTITION BY order_id, status ORDER BY proc_time
                             ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS nth
    FROM orders WHERE status IN ('paid', 'cancelled'))
WHERE nth = 1;
