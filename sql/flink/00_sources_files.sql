-- The three streams as bounded JSONL files (bin/sql-client --input DIR): one raw line per row, event time from the
-- job's parser (both forms of SPEC §1), watermark ${WATERMARK_DELAY} behind the largest event time seen. For a
-- replay the default is 65 s = the job's out-of-orderness (5 s) + allowed lateness (60 s): a replay whose disorder
-- stays within lateness counts the same events as the job. Parallelism 1 keeps arrival order = line order, which
-- the "first paid event per order" rule (SPEC §3) is defined by.
CREATE TEMPORARY TABLE orders_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('orders', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'filesystem', 'path' = '${INPUT}/orders.jsonl', 'format' = 'raw', 'raw.charset' = 'UTF-8');

CREATE TEMPORARY TABLE behavior_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('behavior', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'filesystem', 'path' = '${INPUT}/behavior.jsonl', 'format' = 'raw', 'raw.charset' = 'UTF-8');

CREATE TEMPORARY TABLE payments_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('payments', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'filesystem', 'path' = '${INPUT}/payments.jsonl', 'format' = 'raw', 'raw.charset' = 'UTF-8');
