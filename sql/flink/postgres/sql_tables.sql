-- PostgreSQL tables the SQL client scripts write (sql/flink/*.sql), beside the job's: sql_<table> has the job
-- table's key and value columns (no is_final: a SQL window writes its row once, at close). Idempotent; applied by
-- bin/sql-client (dev.pulse.sql.SqlTables) into --schema before the client starts.
CREATE TABLE IF NOT EXISTS sql_order_metrics (
    grain            text        NOT NULL,
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    region           text        NOT NULL,
    city             text        NOT NULL,
    orders           bigint      NOT NULL,
    gmv              numeric     NOT NULL,
    avg_order_value  numeric,
    items            bigint      NOT NULL,
    unique_buyers    bigint      NOT NULL,
    cancelled_orders bigint      NOT NULL,
    cancelled_amount numeric     NOT NULL,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain, window_start, region, city)
);

CREATE TABLE IF NOT EXISTS sql_gmv_sliding (
    window_size_s  integer     NOT NULL,
    window_end     timestamptz NOT NULL,
    window_start   timestamptz NOT NULL,
    orders         bigint      NOT NULL,
    gmv            numeric     NOT NULL,
    unique_buyers  bigint      NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_size_s, window_end)
);

CREATE TABLE IF NOT EXISTS sql_top_products (
    window_size_s  integer     NOT NULL,
    window_end     timestamptz NOT NULL,
    rank           integer     NOT NULL,
    window_start   timestamptz NOT NULL,
    product_id     bigint      NOT NULL,
    product_name   text        NOT NULL,
    orders         bigint      NOT NULL,
    items          bigint      NOT NULL,
    gmv            numeric     NOT NULL,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_size_s, window_end, rank)
);

CREATE TABLE IF NOT EXISTS sql_funnel_metrics (
    grain            text        NOT NULL,
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    viewers          bigint      NOT NULL,
    carters          bigint      NOT NULL,
    checkouts        bigint      NOT NULL,
    purchasers       bigint      NOT NULL,
    conversion_rate  numeric,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain, window_start)
);

CREATE TABLE IF NOT EXISTS sql_session_funnel (
    window_start      timestamptz NOT NULL,
    device_type       text        NOT NULL,
    window_end        timestamptz NOT NULL,
    sessions          bigint      NOT NULL,
    bounced_sessions  bigint      NOT NULL,
    reached_view      bigint      NOT NULL,
    reached_cart      bigint      NOT NULL,
    reached_checkout  bigint      NOT NULL,
    reached_purchase  bigint      NOT NULL,
    avg_duration_s    numeric,
    avg_events        numeric,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, device_type)
);

CREATE TABLE IF NOT EXISTS sql_payment_metrics (
    window_start      timestamptz NOT NULL,
    method            text        NOT NULL,
    window_end        timestamptz NOT NULL,
    attempts          bigint      NOT NULL,
    succeeded         bigint      NOT NULL,
    failed            bigint      NOT NULL,
    success_rate      numeric,
    amount_succeeded  numeric     NOT NULL,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, method)
);

-- Not a job table: where INSERT INTO sql_gmv_today keeps the ad-hoc CUMULATE of sql/flink/adhoc_gmv_today.sql.
CREATE TABLE IF NOT EXISTS sql_gmv_today (
    day_start   timestamptz NOT NULL,
    up_to       timestamptz NOT NULL,
    orders      bigint      NOT NULL,
    gmv         numeric     NOT NULL,
    updated_at  timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (day_start, up_to)
);
