-- Pulse sink tables (SPEC §3). Idempotent: applied at every start-up into --schema
-- (the job sets search_path to it first). Money is numeric (exact); times are timestamptz, UTC windows,
-- window_end exclusive. Extra columns beyond the contract: is_final, watermark, and the unique keys that
-- make re-delivered dead letters and late events land once.

-- GMV per tumbling window (grain 1m, 1h, 1d) and rollup level: (*,*), (region,*), (region,city).
CREATE TABLE IF NOT EXISTS order_metrics (
    grain            text        NOT NULL CHECK (grain IN ('1m', '1h', '1d')),
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
    is_final         boolean     NOT NULL DEFAULT false,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain, window_start, region, city)
);

-- Valid events that arrived after their windows' allowed lateness: in no metric, kept here.
CREATE TABLE IF NOT EXISTS late_events (
    id          bigserial   PRIMARY KEY,
    stream      text        NOT NULL,
    event_id    text        NOT NULL,
    event_time  timestamptz NOT NULL,
    payload     jsonb       NOT NULL,
    watermark   timestamptz,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream, event_id)
);

-- Records that could not be used: why (one line) and where they came from (file:line, topic/partition/offset).
CREATE TABLE IF NOT EXISTS dead_letters (
    id          bigserial   PRIMARY KEY,
    stream      text        NOT NULL,
    reason      text        NOT NULL,
    payload     text        NOT NULL,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (stream, source)
);

CREATE INDEX IF NOT EXISTS order_metrics_recent ON order_metrics (grain, window_end DESC);
CREATE INDEX IF NOT EXISTS dead_letters_received ON dead_letters (received_at DESC);
CREATE INDEX IF NOT EXISTS late_events_received ON late_events (received_at DESC);
