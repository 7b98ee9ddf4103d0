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

-- GMV over sliding windows: 5 min every 1 min (window_size_s 300), 1 h every 5 min (3600).
CREATE TABLE IF NOT EXISTS gmv_sliding (
    window_size_s  integer     NOT NULL CHECK (window_size_s IN (300, 3600)),
    window_end     timestamptz NOT NULL,
    window_start   timestamptz NOT NULL,
    orders         bigint      NOT NULL,
    gmv            numeric     NOT NULL,
    unique_buyers  bigint      NOT NULL,
    is_final       boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_size_s, window_end)
);

-- Top-N products per sliding window, ranked by orders desc, gmv desc, product_id asc; ranks 1..N, no gaps.
CREATE TABLE IF NOT EXISTS top_products (
    window_size_s  integer     NOT NULL CHECK (window_size_s IN (300, 3600)),
    window_end     timestamptz NOT NULL,
    rank           integer     NOT NULL CHECK (rank >= 1),
    window_start   timestamptz NOT NULL,
    product_id     bigint      NOT NULL,
    product_name   text        NOT NULL,
    orders         bigint      NOT NULL,
    items          bigint      NOT NULL,
    gmv            numeric     NOT NULL,
    is_final       boolean     NOT NULL DEFAULT false,
    updated_at     timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_size_s, window_end, rank)
);

-- Distinct users per funnel step per tumbling window (grain 1m, 1h); conversion_rate = purchasers / viewers.
CREATE TABLE IF NOT EXISTS funnel_metrics (
    grain            text        NOT NULL CHECK (grain IN ('1m', '1h')),
    window_start     timestamptz NOT NULL,
    window_end       timestamptz NOT NULL,
    viewers          bigint      NOT NULL,
    carters          bigint      NOT NULL,
    checkouts        bigint      NOT NULL,
    purchasers       bigint      NOT NULL,
    conversion_rate  numeric,
    is_final         boolean     NOT NULL DEFAULT false,
    updated_at       timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain, window_start)
);

-- Sessions (per user, split at gaps longer than --session-gap) counted in the hour of their start, by the
-- device of their first event and '*'. The funnel is ordered: each step at or after the previous one.
CREATE TABLE IF NOT EXISTS session_funnel (
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
    is_final          boolean     NOT NULL DEFAULT false,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, device_type)
);

-- Payment attempts per tumbling minute by method and '*'; success_rate = succeeded / attempts.
CREATE TABLE IF NOT EXISTS payment_metrics (
    window_start      timestamptz NOT NULL,
    method            text        NOT NULL,
    window_end        timestamptz NOT NULL,
    attempts          bigint      NOT NULL,
    succeeded         bigint      NOT NULL,
    failed            bigint      NOT NULL,
    success_rate      numeric,
    amount_succeeded  numeric     NOT NULL,
    is_final          boolean     NOT NULL DEFAULT false,
    updated_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, method)
);

-- Distinct users with at least one event of event_type ('*': any type) per tumbling window (grain 1m, 1h, 1d),
-- and the number of those events.
CREATE TABLE IF NOT EXISTS active_users (
    grain         text        NOT NULL CHECK (grain IN ('1m', '1h', '1d')),
    window_start  timestamptz NOT NULL,
    event_type    text        NOT NULL,
    window_end    timestamptz NOT NULL,
    users         bigint      NOT NULL,
    events        bigint      NOT NULL,
    is_final      boolean     NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (grain, window_start, event_type)
);

-- Cohorts by the UTC day of a user's earliest counted behaviour event: users active again on day 1, 7 and 30.
-- rate_dK = retained_dK / cohort_size (4 decimals). Final once day cohort_day + 30 is over.
CREATE TABLE IF NOT EXISTS retention (
    cohort_day    date        NOT NULL,
    cohort_size   bigint      NOT NULL,
    retained_d1   bigint      NOT NULL,
    retained_d7   bigint      NOT NULL,
    retained_d30  bigint      NOT NULL,
    rate_d1       numeric,
    rate_d7       numeric,
    rate_d30      numeric,
    is_final      boolean     NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (cohort_day)
);

-- Consecutive events inside a session (as in session_funnel), counted in the hour of the first of the two:
-- how many, and the mean gap in seconds. A row whose transitions were all taken back (a late event landed
-- between its two events) stays, with transitions 0.
CREATE TABLE IF NOT EXISTS path_transitions (
    window_start  timestamptz NOT NULL,
    from_event    text        NOT NULL,
    to_event      text        NOT NULL,
    window_end    timestamptz NOT NULL,
    transitions   bigint      NOT NULL,
    avg_gap_s     numeric,
    is_final      boolean     NOT NULL DEFAULT false,
    updated_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (window_start, from_event, to_event)
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
-- A replay writes each dead letter once: unique per (stream, source, payload digest). A different record at the
-- same source (a new file at the same path, a generator run with another seed) is a new row, never merged
-- with an old one. (Payloads of records over 1 MiB keep their first MiB: two such records alike in it are one.)
CREATE TABLE IF NOT EXISTS dead_letters (
    id          bigserial   PRIMARY KEY,
    stream      text        NOT NULL,
    reason      text        NOT NULL,
    payload     text        NOT NULL,
    source      text        NOT NULL,
    received_at timestamptz NOT NULL DEFAULT now(),
    payload_md5 text        GENERATED ALWAYS AS (md5(payload)) STORED
);
-- Tables made by earlier versions were unique on (stream, source) alone.
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema()
                   AND table_name = 'dead_letters' AND column_name = 'payload_md5') THEN
        ALTER TABLE dead_letters ADD COLUMN payload_md5 text GENERATED ALWAYS AS (md5(payload)) STORED;
        ALTER TABLE dead_letters DROP CONSTRAINT IF EXISTS dead_letters_stream_source_key;
    END IF;
END $$;
CREATE UNIQUE INDEX IF NOT EXISTS dead_letters_record ON dead_letters (stream, source, payload_md5);

CREATE INDEX IF NOT EXISTS order_metrics_recent ON order_metrics (grain, window_end DESC);
CREATE INDEX IF NOT EXISTS dead_letters_received ON dead_letters (received_at DESC);
CREATE INDEX IF NOT EXISTS late_events_received ON late_events (received_at DESC);
