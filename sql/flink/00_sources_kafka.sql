-- The three streams from Kafka (bin/sql-client --kafka-bootstrap HOST:PORT): each record's value as one raw line,
-- event time from the job's parser, watermark ${WATERMARK_DELAY} behind (default 5 s live, the job's
-- out-of-orderness; rows behind it are dropped by the windows, where the job would still update for 60 s).
-- Orders and payments are keyed by order_id, so one order's events keep their arrival order within a partition.
CREATE TEMPORARY TABLE orders_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('orders', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'kafka', 'topic' = '${TOPIC_ORDERS}', 'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
        'properties.group.id' = '${KAFKA_GROUP}', 'scan.startup.mode' = '${KAFKA_START}',
        'scan.bounded.mode' = '${KAFKA_STOP}', 'format' = 'raw', 'raw.charset' = 'UTF-8');

CREATE TEMPORARY TABLE behavior_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('behavior', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'kafka', 'topic' = '${TOPIC_BEHAVIOR}', 'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
        'properties.group.id' = '${KAFKA_GROUP}', 'scan.startup.mode' = '${KAFKA_START}',
        'scan.bounded.mode' = '${KAFKA_STOP}', 'format' = 'raw', 'raw.charset' = 'UTF-8');

CREATE TEMPORARY TABLE payments_raw (
    line      STRING,
    event_ts  AS PULSE_EVENT_TIME('payments', line),
    proc_time AS PROCTIME(),
    WATERMARK FOR event_ts AS event_ts - ${WATERMARK_DELAY_INTERVAL}
) WITH ('connector' = 'kafka', 'topic' = '${TOPIC_PAYMENTS}', 'properties.bootstrap.servers' = '${KAFKA_BOOTSTRAP}',
        'properties.group.id' = '${KAFKA_GROUP}', 'scan.startup.mode' = '${KAFKA_START}',
        'scan.bounded.mode' = '${KAFKA_STOP}', 'format' = 'raw', 'raw.charset' = 'UTF-8');
