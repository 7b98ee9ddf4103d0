-- The benchmark's floor (bin/pulse-bench): a Flink SQL job that only reads the three files, parses each line with
-- the job's own parser (the PULSE_* UDFs of the typed views in sql/flink/01_views.sql, as the table scripts do) and
-- counts the valid records per stream and day. No de-duplication, no metric windows, no JDBC: whatever a job
-- computing the metrics costs beyond this is the cost of the metrics. Output goes to a blackhole sink.
CREATE TEMPORARY TABLE bench_floor (stream_name STRING, window_start TIMESTAMP(3), records BIGINT)
WITH ('connector' = 'blackhole');

EXECUTE STATEMENT SET
BEGIN
INSERT INTO bench_floor
SELECT 'orders', window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE orders, DESCRIPTOR(event_ts), INTERVAL '1' DAY)) GROUP BY window_start, window_end;
INSERT INTO bench_floor
SELECT 'behavior', window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE behavior, DESCRIPTOR(event_ts), INTERVAL '1' DAY)) GROUP BY window_start, window_end;
INSERT INTO bench_floor
SELECT 'payments', window_start, COUNT(*)
FROM TABLE(TUMBLE(TABLE payments, DESCRIPTOR(event_ts), INTERVAL '1' DAY)) GROUP BY window_start, window_end;
END;
