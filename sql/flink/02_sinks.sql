-- JDBC sink tables sql_<table> in schema ${SCHEMA} (bin/sql-client creates them in PostgreSQL from
-- sql/flink/postgres/sql_tables.sql): the job table's key and value columns, written by upsert
-- (INSERT ... ON CONFLICT on the PRIMARY KEY, which Flink does not enforce).
CREATE TEMPORARY TABLE sql_order_metrics (
    grain STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), region STRING, city STRING,
    orders BIGINT, gmv DECIMAL(38, 18), avg_order_value DECIMAL(38, 18), items BIGINT, unique_buyers BIGINT,
    cancelled_orders BIGINT, cancelled_amount DECIMAL(38, 18),
    PRIMARY KEY (grain, window_start, region, city) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_order_metrics'${JDBC_AUTH});

CREATE TEMPORARY TABLE sql_gmv_sliding (
    window_size_s INT, window_end TIMESTAMP(3), window_start TIMESTAMP(3), orders BIGINT, gmv DECIMAL(38, 18),
    unique_buyers BIGINT,
    PRIMARY KEY (window_size_s, window_end) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_gmv_sliding'${JDBC_AUTH});

CREATE TEMPORARY TABLE sql_top_products (
    window_size_s INT, window_end TIMESTAMP(3), `rank` INT, window_start TIMESTAMP(3), product_id BIGINT,
    product_name STRING, orders BIGINT, items BIGINT, gmv DECIMAL(38, 18),
    PRIMARY KEY (window_size_s, window_end, `rank`) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_top_products'${JDBC_AUTH});

CREATE TEMPORARY TABLE sql_funnel_metrics (
    grain STRING, window_start TIMESTAMP(3), window_end TIMESTAMP(3), viewers BIGINT, carters BIGINT,
    checkouts BIGINT, purchasers BIGINT, conversion_rate DECIMAL(38, 18),
    PRIMARY KEY (grain, window_start) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_funnel_metrics'${JDBC_AUTH});

CREATE TEMPORARY TABLE sql_session_funnel (
    window_start TIMESTAMP(3), device_type STRING, window_end TIMESTAMP(3), sessions BIGINT, bounced_sessions BIGINT,
    reached_view BIGINT, reached_cart BIGINT, reached_checkout BIGINT, reached_purchase BIGINT,
    avg_duration_s DECIMAL(38, 18), avg_events DECIMAL(38, 18),
    PRIMARY KEY (window_start, device_type) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_session_funnel'${JDBC_AUTH});

CREATE TEMPORARY TABLE sql_payment_metrics (
    window_start TIMESTAMP(3), `method` STRING, window_end TIMESTAMP(3), attempts BIGINT, succeeded BIGINT,
    failed BIGINT, success_rate DECIMAL(38, 18), amount_succeeded DECIMAL(38, 18),
    PRIMARY KEY (window_start, `method`) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_payment_metrics'${JDBC_AUTH});

-- The ad-hoc CUMULATE of adhoc_gmv_today.sql, kept: INSERT INTO sql_gmv_today SELECT ... (that script's query).
CREATE TEMPORARY TABLE sql_gmv_today (
    day_start TIMESTAMP(3), up_to TIMESTAMP(3), orders BIGINT, gmv DECIMAL(38, 18),
    PRIMARY KEY (day_start, up_to) NOT ENFORCED
) WITH ('connector' = 'jdbc', 'url' = '${JDBC_URL}', 'table-name' = '${SCHEMA}.sql_gmv_today'${JDBC_AUTH});
