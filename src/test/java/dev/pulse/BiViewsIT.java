package dev.pulse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.pulse.sink.ReaderRole;
import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The BI layer on a real run: a seeded dataset (disorder, re-deliveries, malformed and 2 % late records, crossing a
 * day boundary) replayed by {@link Main} into schema {@value #SCHEMA} with {@code PULSE_READER_PASSWORD} set, while a
 * LISTEN connection waits. Each view and the dashboard function are compared with plain SQL over the sink tables
 * (other paths to the same numbers: 1-minute rows summed against daily rows and sliding windows, methods against
 * their rollup), never with numbers written here. The read-only role reads everything and writes nothing, and every
 * query of the Grafana dashboard runs as that role.
 */
class BiViewsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    static final String SCHEMA = "bi";
    private static final String READER_PASSWORD = "reader-secret-7f3a";
    /** Decimals read as written (jsonb keeps numeric's digits; a double would not). */
    private static final ObjectMapper JSON = JsonMapper.builder().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .disable(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES).build();
    private static final List<String> SINK_TABLES = List.of("order_metrics", "gmv_sliding", "top_products",
            "funnel_metrics", "session_funnel", "payment_metrics", "dead_letters", "late_events");

    @TempDir
    static Path dir;
    private static Connection listener;
    private static final List<String> notifications = new ArrayList<>();
    private static String printed;

    @BeforeAll
    static void replayWithAListenerWaiting() throws Exception {
        EventGenerator generator = new EventGenerator(71, 10, Instant.parse("2025-10-03T23:42:00Z").toEpochMilli(),
                EventGenerator.Faults.standard().withLate(0.02, Duration.ofMinutes(5)));
        DatasetWriter.write(dir, generator, Duration.ofMinutes(30));

        listener = TestPostgres.connect();
        try (Statement st = listener.createStatement()) {
            st.execute("LISTEN pulse_updates");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int exit = Main.run(new String[] {"--source", "files", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", SCHEMA, "--parallelism", "2",
                "--session-gap", "5min"}, Map.of(ReaderRole.PASSWORD_ENV, READER_PASSWORD),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(out, true, StandardCharsets.UTF_8));
        printed = out.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(printed).isZero();
        collectNotifications(2000);
    }

    @AfterAll
    static void close() throws SQLException {
        listener.close();
    }

    private static void collectNotifications(int waitMs) throws SQLException {
        PGConnection pg = listener.unwrap(PGConnection.class);
        PGNotification[] batch;
        while ((batch = pg.getNotifications(waitMs)) != null && batch.length > 0) {
            for (PGNotification n : batch) {
                assertThat(n.getName()).isEqualTo("pulse_updates");
                notifications.add(n.getParameter());
            }
        }
    }

    private static Connection reader() throws SQLException {
        Connection c = DriverManager.getConnection(TestPostgres.jdbcUrl(), ReaderRole.NAME, READER_PASSWORD);
        try (Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + SCHEMA);
        }
        return c;
    }

    private static List<String> rows(String sql) throws SQLException {
        try (Connection c = TestPostgres.connect(); Statement st = c.createStatement()) {
            st.execute("SET search_path TO " + SCHEMA);
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(sql)) {
                int n = rs.getMetaData().getColumnCount();
                while (rs.next()) {
                    StringBuilder sb = new StringBuilder();
                    for (int i = 1; i <= n; i++) {
                        sb.append(i > 1 ? "|" : "").append(rs.getString(i));
                    }
                    rows.add(sb.toString());
                }
            }
            return rows;
        }
    }

    private static String one(String sql) throws SQLException {
        List<String> r = rows(sql);
        assertThat(r).as(sql).hasSize(1);
        return r.get(0);
    }

    private static JsonNode dashboard(int minutes) throws Exception {
        try (Connection c = reader(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT pulse_dashboard(" + minutes + ")::text")) {
            rs.next();
            return JSON.readTree(rs.getString(1));
        }
    }

    /** The latest minute written: what every "now"-anchored view and the function call as_of, by plain SQL. */
    private static final String LATEST = "(SELECT max(window_end) FROM order_metrics WHERE grain = '1m')";

    // ---- views against plain SQL over the sink tables -------------------------------------------------------------

    @Test
    void nowIsTheEndOfTheLatestMinuteWrittenSoAReplayOfOldDataShowsItsLastHour() throws Exception {
        assertThat(one("SELECT bi_now() = " + LATEST + " AND bi_now() < now() - interval '30 days'")).isEqualTo("t");
        assertThat(one("SELECT count(*) FROM bi_gmv_per_minute")).isEqualTo("60");
    }

    @Test
    void gmvTodayIsTheSumOfTodaysMinutesAndTheDailyRow() throws Exception {
        String day = "date_bin('1 day', " + LATEST + " - interval '1 minute', timestamptz 'epoch')";
        assertThat(one("SELECT time = " + day + " AND as_of = " + LATEST + " FROM bi_gmv_today")).isEqualTo("t");
        assertThat(one("SELECT orders, gmv, items, cancelled_orders, cancelled_amount FROM bi_gmv_today"))
                .isEqualTo(one("SELECT sum(orders), sum(gmv), sum(items), sum(cancelled_orders), sum(cancelled_amount) "
                        + "FROM order_metrics WHERE grain = '1m' AND region = '*' AND city = '*' AND window_start >= " + day
                        + " AND window_start < " + day + " + interval '1 day'"));
        assertThat(one("SELECT unique_buyers, avg_order_value FROM bi_gmv_today"))
                .isEqualTo(one("SELECT unique_buyers, avg_order_value FROM order_metrics WHERE grain = '1d' AND region = '*' "
                        + "AND city = '*' AND window_start = " + day));
        assertThat(one("SELECT orders > 0 FROM bi_gmv_today")).isEqualTo("t");
    }

    @Test
    void gmvPerMinuteHoldsTheLastSixtyMinutesWithZerosWhereNothingWasPaid() throws Exception {
        List<String> view = rows("SELECT time, orders, gmv, unique_buyers FROM bi_gmv_per_minute ORDER BY time");
        List<String> sql = rows("SELECT s.m, coalesce(o.orders, 0), coalesce(o.gmv, 0), coalesce(o.unique_buyers, 0) "
                + "FROM generate_series(" + LATEST + " - interval '60 minutes', " + LATEST + " - interval '1 minute', "
                + "interval '1 minute') s(m) LEFT JOIN order_metrics o ON o.grain = '1m' AND o.region = '*' "
                + "AND o.city = '*' AND o.window_start = s.m ORDER BY 1");
        assertThat(view).hasSize(60).isEqualTo(sql);
        // The dataset starts 30 minutes before its end: the first half of the hour is zeros.
        assertThat(view.get(0)).endsWith("|0|0|0");
        assertThat(view.get(59)).doesNotEndWith("|0|0|0");
    }

    @Test
    void topProductsNowIsTheLatestClosedWindowOfEachSizeRanksOneToTen() throws Exception {
        // A finished replay: every window is final, so "open" is empty and "closed" is the window ending at the
        // slide boundary at or after the latest minute.
        assertThat(rows("SELECT DISTINCT state FROM bi_top_products_now")).containsExactly("closed");
        for (int size : new int[] {300, 3600}) {
            String end = size == 300 ? LATEST
                    : "date_bin('5 minutes', " + LATEST + " - interval '1 minute', timestamptz 'epoch') + interval '5 minutes'";
            List<String> expected = rows("SELECT rank, product_id, product_name, orders, items, gmv FROM top_products "
                    + "WHERE window_size_s = " + size + " AND window_end = " + end + " AND rank <= 10 ORDER BY rank");
            assertThat(expected).as("top %d", size).isNotEmpty();
            assertThat(rows("SELECT rank, product_id, product_name, orders, items, gmv FROM bi_top_products_now "
                    + "WHERE window_size_s = " + size + " ORDER BY rank")).as("top %d", size).isEqualTo(expected);
        }
    }

    @Test
    void salesByRegionTodayAddUpToTheDayAndToEachRegionsCities() throws Exception {
        String day = "(SELECT time FROM bi_gmv_today)";
        assertThat(one("SELECT sum(orders), sum(gmv), sum(gmv_share) BETWEEN 0.999 AND 1.001 FROM bi_sales_by_region_today "
                + "WHERE level = 'region'")).isEqualTo(one("SELECT orders, gmv, true FROM bi_gmv_today"));
        // Each city row equals its minutes summed; each region row equals its cities summed.
        assertThat(rows("SELECT region, city, orders, gmv FROM bi_sales_by_region_today ORDER BY 1, 2"))
                .isEqualTo(rows("SELECT region, city, sum(orders), sum(gmv) FROM order_metrics WHERE grain = '1m' "
                        + "AND region <> '*' AND window_start >= " + day + " AND window_start < " + day
                        + " + interval '1 day' GROUP BY 1, 2 ORDER BY 1, 2"))
                .hasSizeGreaterThan(5);
        assertThat(rows("SELECT region, orders, gmv FROM bi_sales_by_region_today WHERE level = 'region' ORDER BY 1"))
                .isEqualTo(rows("SELECT region, sum(orders), sum(gmv) FROM bi_sales_by_region_today WHERE level = 'city' "
                        + "GROUP BY 1 ORDER BY 1"));
    }

    @Test
    void theLiveFunnelIsTheCurrentHoursStepsWithTheirRates() throws Exception {
        String hour = "date_bin('1 hour', " + LATEST + " - interval '1 minute', timestamptz 'epoch')";
        String f = "FROM funnel_metrics WHERE grain = '1h' AND window_start = " + hour;
        assertThat(rows("SELECT step, users FROM bi_funnel_live ORDER BY step_no")).containsExactly(
                "view|" + one("SELECT viewers " + f), "cart|" + one("SELECT carters " + f),
                "checkout|" + one("SELECT checkouts " + f), "purchase|" + one("SELECT purchasers " + f));
        assertThat(one("SELECT rate_from_view FROM bi_funnel_live WHERE step = 'purchase'"))
                .isEqualTo(one("SELECT conversion_rate " + f));
        assertThat(one("SELECT rate_from_previous FROM bi_funnel_live WHERE step = 'checkout'"))
                .isEqualTo(one("SELECT round(checkouts::numeric / carters, 4) " + f));
    }

    @Test
    void sessionsPerHourAndDeviceAddUpToTheAllDevicesRowWithTheirBounceRate() throws Exception {
        assertThat(rows("SELECT time, sum(sessions), sum(bounced_sessions) FROM bi_sessions_hourly WHERE device_type <> '*' "
                + "GROUP BY 1 ORDER BY 1")).isEqualTo(rows("SELECT window_start, sessions, bounced_sessions FROM session_funnel "
                + "WHERE device_type = '*' ORDER BY 1")).hasSizeGreaterThanOrEqualTo(2);
        assertThat(one("SELECT count(*) FROM bi_sessions_hourly WHERE sessions > 0 AND bounce_rate IS DISTINCT FROM "
                + "round(bounced_sessions::numeric / sessions, 4)")).isEqualTo("0");
    }

    @Test
    void paymentSuccessOfTheLastHourIsItsMinutesSummedPerMethodAndForAll() throws Exception {
        List<String> expected = rows("SELECT method, sum(attempts), sum(succeeded), sum(failed), "
                + "round(sum(succeeded)::numeric / sum(attempts), 4), sum(amount_succeeded) FROM payment_metrics "
                + "WHERE window_start >= " + LATEST + " - interval '1 hour' AND window_start < " + LATEST
                + " GROUP BY 1 ORDER BY 1");
        assertThat(rows("SELECT method, attempts, succeeded, failed, success_rate, amount_succeeded FROM "
                + "bi_payments_last_hour ORDER BY 1")).isEqualTo(expected).hasSizeGreaterThan(2);
        // The rollup * equals its methods summed.
        assertThat(one("SELECT attempts, amount_succeeded FROM bi_payments_last_hour WHERE method = '*'"))
                .isEqualTo(one("SELECT sum(attempts), sum(amount_succeeded) FROM bi_payments_last_hour WHERE method <> '*'"));
    }

    @Test
    void badInputOfTheLastHourCountsEveryDeadLetterAndLateEventOfThisRun() throws Exception {
        assertThat(rows("SELECT stream, dead_letters, late_events FROM bi_bad_input_last_hour ORDER BY 1"))
                .isEqualTo(rows("SELECT s, (SELECT count(*) FROM dead_letters WHERE stream = s), "
                        + "(SELECT count(*) FROM late_events WHERE stream = s) FROM unnest(ARRAY['behavior', 'orders', "
                        + "'payments']) s ORDER BY 1"));
        assertThat(one("SELECT sum(dead_letters) > 0 AND sum(late_events) > 0 FROM bi_bad_input_last_hour")).isEqualTo("t");
    }

    // ---- the dashboard function ----------------------------------------------------------------------------------

    @Test
    void theDashboardDocumentHoldsTheScreensNumbersExactlyAsPlainSql() throws Exception {
        JsonNode d = dashboard(60);
        assertThat(d.get("as_of").asText()).isEqualTo(one("SELECT to_char(" + LATEST
                + " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"+00:00\"')"));
        assertThat(d.get("minutes").asInt()).isEqualTo(60);

        String minutes = "FROM order_metrics WHERE grain = '1m' AND region = '*' AND city = '*' AND window_start >= "
                + LATEST + " - interval '60 minutes' AND window_start < " + LATEST;
        JsonNode s = d.get("summary");
        // Exact decimals: the JSON number's text is the numeric's text.
        assertThat(s.get("orders").asText() + "|" + s.get("gmv").decimalValue().toPlainString() + "|"
                + s.get("avg_order_value").decimalValue().toPlainString())
                .isEqualTo(one("SELECT sum(orders), sum(gmv), round(sum(gmv) / sum(orders), 2) " + minutes));

        // Last hour: the 1-hour sliding window holding the latest minute, which also equals its minutes summed.
        JsonNode h = d.get("last_hour");
        String end = "date_bin('5 minutes', " + LATEST + " - interval '1 minute', timestamptz 'epoch') + interval '5 minutes'";
        assertThat(h.get("orders").asText() + "|" + h.get("gmv").decimalValue().toPlainString() + "|" + h.get("buyers").asText())
                .isEqualTo(one("SELECT orders, gmv, unique_buyers FROM gmv_sliding WHERE window_size_s = 3600 AND window_end = " + end))
                .startsWith(one("SELECT sum(orders) || '|' || sum(gmv) FROM order_metrics WHERE grain = '1m' AND region = '*' "
                        + "AND city = '*' AND window_start >= " + end + " - interval '1 hour' AND window_start < " + end) + "|");

        List<String> trend = new ArrayList<>();
        d.get("trend").forEach(m -> trend.add(m.get("orders").asText() + "|" + m.get("gmv").decimalValue().toPlainString()));
        assertThat(trend).isEqualTo(rows("SELECT orders, gmv FROM bi_gmv_per_minute ORDER BY time"));

        List<String> regions = new ArrayList<>();
        d.get("top_regions").forEach(r -> regions.add(r.get("region").asText() + "|" + r.get("orders").asText() + "|"
                + r.get("gmv").decimalValue().toPlainString()));
        assertThat(regions).isEqualTo(rows("SELECT region, sum(orders), sum(gmv) FROM order_metrics WHERE grain = '1m' "
                + "AND region <> '*' AND city = '*' AND window_start >= " + LATEST + " - interval '60 minutes' "
                + "AND window_start < " + LATEST + " GROUP BY 1 ORDER BY 3 DESC, 1")).isNotEmpty();

        List<String> top = new ArrayList<>();
        d.get("top_products").get("5min").get("closed").get("products").forEach(p -> top.add(p.get("rank").asText()
                + "|" + p.get("product_id").asText() + "|" + p.get("gmv").decimalValue().toPlainString()));
        assertThat(top).isEqualTo(rows("SELECT rank, product_id, gmv FROM bi_top_products_now WHERE window_size_s = 300 "
                + "AND state = 'closed' ORDER BY rank")).isNotEmpty();
        assertThat(d.get("top_products").get("1h").get("closed").get("products").size()).isBetween(1, 10);

        List<String> funnel = new ArrayList<>();
        d.get("funnel").get("steps").forEach(f -> funnel.add(f.get("step").asText() + "|" + f.get("users").asText()));
        assertThat(funnel).isEqualTo(rows("SELECT step, users FROM bi_funnel_live ORDER BY step_no"));

        List<String> payments = new ArrayList<>();
        d.get("payments").forEach(p -> payments.add(p.get("method").asText() + "|" + p.get("attempts").asText() + "|"
                + p.get("success_rate").decimalValue().toPlainString() + "|" + p.get("amount_succeeded").decimalValue().toPlainString()));
        assertThat(payments).containsExactlyInAnyOrderElementsOf(rows("SELECT method, attempts, success_rate, amount_succeeded "
                + "FROM bi_payments_last_hour"));
        assertThat(payments.get(0)).startsWith("*|");

        List<String> sessions = new ArrayList<>();
        d.get("sessions").forEach(x -> sessions.add(x.get("device_type").asText() + "|" + x.get("sessions").asText()));
        assertThat(sessions).containsExactlyInAnyOrderElementsOf(rows("SELECT device_type, sessions FROM session_funnel "
                + "WHERE window_start = date_bin('1 hour', " + LATEST + " - interval '1 minute', timestamptz 'epoch')"));

        JsonNode bad = d.get("bad_input");
        assertThat(bad.get("dead_letters").asLong()).isEqualTo(Long.parseLong(one("SELECT count(*) FROM dead_letters"))).isPositive();
        assertThat(bad.get("late_events").asLong()).isEqualTo(Long.parseLong(one("SELECT count(*) FROM late_events"))).isPositive();
        assertThat(bad.get("dead_letter_reasons").size()).isBetween(1, 10);

        assertThat(d.get("today").get("gmv").decimalValue().toPlainString()).isEqualTo(one("SELECT gmv FROM bi_gmv_today"));
    }

    @Test
    void theDashboardsMinutesSetTheTrendAndSummaryLength() throws Exception {
        JsonNode d = dashboard(5);
        assertThat(d.get("trend")).hasSize(5);
        assertThat(d.get("summary").get("gmv").decimalValue().toPlainString()).isEqualTo(one("SELECT sum(gmv) FROM "
                + "order_metrics WHERE grain = '1m' AND region = '*' AND city = '*' AND window_start >= " + LATEST
                + " - interval '5 minutes'"));
        assertThat(dashboard(0).get("trend")).hasSize(1);
    }

    // ---- push ----------------------------------------------------------------------------------------------------

    @Test
    void aListenerIsToldOfEveryTableTheRunWroteAfterItsBatchesCommitted() throws Exception {
        Set<String> tables = new HashSet<>();
        for (String n : notifications) {
            JsonNode p = JSON.readTree(n);
            if (p.get("schema").asText().equals(SCHEMA)) {
                p.get("tables").forEach(t -> tables.add(t.asText()));
            }
        }
        assertThat(tables).containsAll(SINK_TABLES);
    }

    @Test
    void aNotificationArrivesAtCommitAndNotBefore() throws Exception {
        try (Connection writer = TestPostgres.connect(); Statement st = writer.createStatement()) {
            collectNotifications(10);
            notifications.clear();
            writer.setAutoCommit(false);
            st.execute("UPDATE " + SCHEMA + ".gmv_sliding SET orders = orders");
            st.execute("UPDATE " + SCHEMA + ".gmv_sliding SET gmv = gmv");
            collectNotifications(300);
            assertThat(notifications).isEmpty();
            writer.commit();
            collectNotifications(1000);
            // Two statements, one transaction: one notification.
            assertThat(notifications).containsExactly("{\"schema\": \"" + SCHEMA + "\", \"tables\": [\"gmv_sliding\"]}");
            notifications.clear();
            st.execute("UPDATE " + SCHEMA + ".payment_metrics SET attempts = attempts");
            writer.rollback();
            collectNotifications(300);
            assertThat(notifications).isEmpty();
        }
    }

    // ---- the read-only role --------------------------------------------------------------------------------------

    @Test
    void theReaderSelectsEveryTableAndViewOfTheSchemaAndCallsTheDashboard() throws Exception {
        List<String> relations = rows("SELECT relname FROM pg_class WHERE relnamespace = '" + SCHEMA + "'::regnamespace "
                + "AND relkind IN ('r', 'v') ORDER BY 1");
        assertThat(relations).containsAll(SINK_TABLES).contains("bi_gmv_today", "bi_top_products_now", "gmv_total")
                .hasSizeGreaterThan(20);
        try (Connection c = reader(); Statement st = c.createStatement()) {
            for (String r : relations) {
                try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + r)) {
                    assertThat(rs.next()).as(r).isTrue();
                }
            }
            try (ResultSet rs = st.executeQuery("SELECT pulse_dashboard() ? 'summary'")) {
                rs.next();
                assertThat(rs.getBoolean(1)).isTrue();
            }
        }
    }

    @Test
    void theReaderCanWriteNothingEvenInAReadWriteTransaction() throws Exception {
        try (Connection c = reader(); Statement st = c.createStatement()) {
            // Read-only transactions by default...
            assertThatThrownBy(() -> st.execute("DELETE FROM dead_letters")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("25006"));
            // ...and no privilege once that is turned off.
            st.execute("SET default_transaction_read_only = off");
            for (String table : SINK_TABLES) {
                for (String sql : List.of("INSERT INTO " + table + " DEFAULT VALUES", "UPDATE " + table + " SET updated_at = now()",
                        "DELETE FROM " + table, "TRUNCATE " + table)) {
                    String statement = sql.replace("updated_at", table.endsWith("_events") || table.equals("dead_letters")
                            ? "received_at" : "updated_at");
                    assertThatThrownBy(() -> st.execute(statement)).as(statement).isInstanceOf(SQLException.class)
                            .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(statement).isEqualTo("42501"));
                }
            }
            for (String sql : List.of("CREATE TABLE " + SCHEMA + ".mine (x int)", "CREATE VIEW " + SCHEMA + ".mine AS SELECT 1",
                    "CREATE TABLE public.mine (x int)", "SELECT pulse_prune_minutes()", "CREATE SCHEMA mine",
                    "ALTER TABLE order_metrics ADD COLUMN x int", "DROP VIEW bi_gmv_today")) {
                assertThatThrownBy(() -> st.execute(sql)).as(sql).isInstanceOf(SQLException.class)
                        .satisfies(e -> assertThat(((SQLException) e).getSQLState()).as(sql).isEqualTo("42501"));
            }
        }
    }

    @Test
    void theReaderSeesNoOtherSchemaButDoesSeeTablesAddedLater() throws Exception {
        TestPostgres.execute("CREATE SCHEMA IF NOT EXISTS bi_private");
        TestPostgres.execute("CREATE TABLE IF NOT EXISTS bi_private.salaries (amount numeric)");
        TestPostgres.execute("CREATE TABLE IF NOT EXISTS " + SCHEMA + ".added_later (x int)");
        try (Connection c = reader(); Statement st = c.createStatement()) {
            assertThatThrownBy(() -> st.executeQuery("SELECT * FROM bi_private.salaries")).isInstanceOf(SQLException.class)
                    .satisfies(e -> assertThat(((SQLException) e).getSQLState()).isEqualTo("42501"));
            try (ResultSet rs = st.executeQuery("SELECT count(*) FROM added_later")) {
                assertThat(rs.next()).isTrue();
            }
        }
        // What it may read outside the system catalogs: Pulse's schemas only (every job granted it its own).
        assertThat(rows("SELECT DISTINCT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
                + "WHERE c.relkind IN ('r', 'v', 'm', 'p', 'f') AND has_table_privilege('" + ReaderRole.NAME + "', c.oid, "
                + "'SELECT') AND n.nspname NOT IN ('pg_catalog', 'information_schema') "
                + "AND to_regclass(quote_ident(n.nspname) || '.bi_gmv_today') IS NULL")).isEmpty();
        assertThat(one("SELECT has_schema_privilege('" + ReaderRole.NAME + "', 'bi_private', 'USAGE')")).isEqualTo("f");
        assertThat(one("SELECT rolcanlogin AND NOT rolsuper AND NOT rolinherit AND NOT rolcreaterole AND NOT rolcreatedb "
                + "FROM pg_roles WHERE rolname = '" + ReaderRole.NAME + "'")).isEqualTo("t");
    }

    @Test
    void thePasswordIsStoredHashedAndNeverPrinted() throws Exception {
        assertThat(one("SELECT rolpassword LIKE 'SCRAM-SHA-256$%' FROM pg_authid WHERE rolname = '" + ReaderRole.NAME + "'"))
                .isEqualTo("t");
        assertThat(printed).doesNotContain(READER_PASSWORD);
    }

    // ---- Grafana ---------------------------------------------------------------------------------------------------

    @Test
    void everyQueryOfTheGrafanaDashboardRunsAsTheReaderAndReturnsRows() throws Exception {
        JsonNode dashboard = JSON.readTree(Path.of("docker/grafana/dashboards/pulse.json").toFile());
        List<String> queries = new ArrayList<>();
        collectRawSql(dashboard, queries);
        assertThat(queries).hasSizeGreaterThanOrEqualTo(9);
        Set<String> viewsUsed = new HashSet<>();
        try (Connection c = reader(); Statement st = c.createStatement()) {
            for (String q : queries) {
                // Grafana's macros, made true: every row of the views, which a time range would only narrow.
                String sql = q.replaceAll("\\$__timeFilter\\([^)]*\\)", "true");
                assertThat(sql).as(q).doesNotContain("$");
                try (ResultSet rs = st.executeQuery(sql)) {
                    assertThat(rs.next()).as("rows of %s", q).isTrue();
                    assertThat(rs.getMetaData().getColumnLabel(1)).as(q).isEqualTo("time");
                }
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\b(bi_\\w+)").matcher(q);
                while (m.find()) {
                    viewsUsed.add(m.group(1));
                }
            }
        }
        // A panel per view.
        assertThat(viewsUsed).containsAll(rows("SELECT viewname FROM pg_views WHERE schemaname = '" + SCHEMA
                + "' AND viewname LIKE 'bi\\_%'"));
    }

    private static void collectRawSql(JsonNode node, List<String> into) {
        if (node.isObject()) {
            JsonNode raw = node.get("rawSql");
            if (raw != null) {
                into.add(raw.asText());
            }
            node.forEach(child -> collectRawSql(child, into));
        } else if (node.isArray()) {
            node.forEach(child -> collectRawSql(child, into));
        }
    }
}
