-- Push on change and retention. Idempotent; applied after the other files of sql/postgres.

-- After every committed write, LISTEN pulse_updates hears {"schema": ..., "tables": [...]}.
-- A statement-level trigger on every table of the schema the installing role may put triggers on (the sink tables,
-- and the metric tables added later, without a change here). NOTIFY is transactional: it is delivered when the
-- transaction that wrote the rows commits (never for a batch that failed and rolled back), and PostgreSQL folds
-- identical notifications of one transaction into one, so a sink batch (one transaction, however many multi-row
-- statements) gives one notification per table it touched. Deletes (retention) notify nothing.
CREATE OR REPLACE FUNCTION pulse_notify_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM pg_notify('pulse_updates',
                      jsonb_build_object('schema', TG_TABLE_SCHEMA, 'tables', jsonb_build_array(TG_TABLE_NAME))::text);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION pulse_notify_change() IS 'Trigger: NOTIFY pulse_updates with {"schema", "tables"} of the table '
    'written; delivered at commit, once per table and transaction.';

DO $$
DECLARE
    t record;
BEGIN
    FOR t IN
        SELECT c.oid, c.relname
        FROM pg_class c
        WHERE c.relnamespace = (SELECT n.oid FROM pg_namespace n WHERE n.nspname = current_schema()) AND c.relkind IN ('r', 'p')
          AND has_table_privilege(c.oid, 'TRIGGER')
          AND NOT EXISTS (SELECT 1 FROM pg_trigger g WHERE g.tgrelid = c.oid AND g.tgname = 'pulse_notify_change')
    LOOP
        EXECUTE format('CREATE TRIGGER pulse_notify_change AFTER INSERT OR UPDATE ON %I '
                       'FOR EACH STATEMENT EXECUTE FUNCTION pulse_notify_change()', t.relname);
    END LOOP;
END
$$;

-- Retention of the 1-minute grain: rows of 1-minute windows (order_metrics, funnel_metrics, active_users grain 1m,
-- payment_metrics, and the 5-minute sliding windows of gmv_sliding and top_products, which step every minute)
-- whose window started more than the retention before bi_now() (live: now; a replay keeps its own last 30 days).
-- Hourly and daily rows are kept. One call deletes at most p_batch rows per table, each table by one short DELETE on
-- its primary key (no TRUNCATE, no table lock: PostgreSQL readers never wait for a DELETE, and the sink never
-- writes windows that old), and returns how many it deleted: call it until it returns 0, each call in its own
-- transaction (dev.pulse.sink.MinuteGrainPruning does, at start-up and every hour).
-- Retention: p_keep, else the setting pulse.retention_1m of the session (e.g. ALTER ROLE pulse SET
-- pulse.retention_1m = '90 days'), else 30 days; 'off' (or 0) keeps everything.
CREATE OR REPLACE FUNCTION pulse_prune_minutes(p_keep interval DEFAULT NULL, p_batch integer DEFAULT 5000)
RETURNS bigint
LANGUAGE plpgsql VOLATILE SET search_path FROM CURRENT AS $$
DECLARE
    v_setting text := nullif(trim(current_setting('pulse.retention_1m', true)), '');
    v_keep    interval;
    v_cutoff  timestamptz;
    v_n       bigint;
    v_total   bigint := 0;
BEGIN
    IF p_keep IS NOT NULL THEN
        v_keep := p_keep;
    ELSIF lower(v_setting) IN ('off', '0') THEN
        RETURN 0;
    ELSE
        v_keep := coalesce(v_setting::interval, interval '30 days');
    END IF;
    IF v_keep <= interval '0' THEN
        RETURN 0;
    END IF;
    v_cutoff := bi_now() - v_keep;

    DELETE FROM order_metrics WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM order_metrics WHERE grain = '1m' AND window_start < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    DELETE FROM funnel_metrics WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM funnel_metrics WHERE grain = '1m' AND window_start < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    DELETE FROM active_users WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM active_users WHERE grain = '1m' AND window_start < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    DELETE FROM payment_metrics WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM payment_metrics WHERE window_start < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    DELETE FROM gmv_sliding WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM gmv_sliding WHERE window_size_s = 300 AND window_end < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    DELETE FROM top_products WHERE ctid = ANY (ARRAY(
        SELECT ctid FROM top_products WHERE window_size_s = 300 AND window_end < v_cutoff LIMIT p_batch));
    GET DIAGNOSTICS v_n = ROW_COUNT;
    v_total := v_total + v_n;
    RETURN v_total;
END
$$;
COMMENT ON FUNCTION pulse_prune_minutes(interval, integer) IS 'Retention of the 1-minute grain: deletes at most p_batch '
    'rows per table of 1-minute (and 5-minute sliding) windows older than p_keep, or the setting pulse.retention_1m, '
    'or 30 days, before bi_now(); returns the rows deleted. Call until 0. Never blocks readers.';
REVOKE ALL ON FUNCTION pulse_prune_minutes(interval, integer) FROM PUBLIC;
