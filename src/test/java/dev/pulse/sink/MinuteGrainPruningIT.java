package dev.pulse.sink;

import dev.pulse.support.TestPostgres;

import org.apache.flink.streaming.runtime.tasks.TestProcessingTimeService;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Retention of the 1-minute grain on real PostgreSQL: 40 days of rows in every table with a 1-minute (or 1-minute
 * step) grain, and hourly, daily and 1-hour sliding rows beside them. What is older than the retention before the
 * latest minute written goes, in batches, without waiting for (or blocking) a reader; everything else stays.
 */
class MinuteGrainPruningIT {
    private static final String SCHEMA = "retention";
    private static final JdbcSettings JDBC = new JdbcSettings(TestPostgres.jdbcUrl(), "postgres", null, SCHEMA);
    /** The latest minute written ends here; rows go back 40 days, one every 6 hours. */
    private static final String LATEST = "timestamptz '2025-10-04 00:00:00+00'";

    @BeforeEach
    void fortyDaysOfRows() throws Exception {
        SchemaInstaller.install(JDBC);
        String t = "generate_series(" + LATEST + " - interval '40 days', " + LATEST + " - interval '1 minute', "
                + "interval '6 hours' - interval '1 minute') AS s(t)";
        for (String sql : List.of(
                "TRUNCATE order_metrics, funnel_metrics, payment_metrics, gmv_sliding, top_products, active_users",
                "INSERT INTO order_metrics SELECT g, date_bin(d, t, 'epoch'), date_bin(d, t, 'epoch') + d, '*', '*', 1, 1, 1, 1, 1, 0, 0, true "
                        + "FROM " + t + ", (VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour'), ('1d', interval '1 day')) AS g(g, d) "
                        + "ON CONFLICT DO NOTHING",
                "INSERT INTO order_metrics VALUES ('1m', " + LATEST + " - interval '1 minute', " + LATEST + ", '*', '*', 1, 1, 1, 1, 1, 0, 0, true)",
                "INSERT INTO funnel_metrics SELECT g, date_bin(d, t, 'epoch'), date_bin(d, t, 'epoch') + d, 1, 1, 1, 1, 1, true "
                        + "FROM " + t + ", (VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour')) AS g(g, d) ON CONFLICT DO NOTHING",
                "INSERT INTO active_users SELECT g, date_bin(d, t, 'epoch'), '*', date_bin(d, t, 'epoch') + d, 1, 1, true "
                        + "FROM " + t + ", (VALUES ('1m', interval '1 minute'), ('1h', interval '1 hour')) AS g(g, d) ON CONFLICT DO NOTHING",
                "INSERT INTO payment_metrics SELECT date_bin('1 minute', t, 'epoch'), m, date_bin('1 minute', t, 'epoch') + interval '1 minute', "
                        + "1, 1, 0, 1, 1, true FROM " + t + ", unnest(ARRAY['*', 'card']) m",
                "INSERT INTO gmv_sliding SELECT w, date_bin('5 minutes', t, 'epoch') + interval '5 minutes', "
                        + "date_bin('5 minutes', t, 'epoch') + interval '5 minutes' - make_interval(secs => w), 1, 1, 1, true "
                        + "FROM " + t + ", unnest(ARRAY[300, 3600]) w ON CONFLICT DO NOTHING",
                "INSERT INTO top_products SELECT w, date_bin('5 minutes', t, 'epoch') + interval '5 minutes', r, "
                        + "date_bin('5 minutes', t, 'epoch') + interval '5 minutes' - make_interval(secs => w), r, 'p', 1, 1, 1, true "
                        + "FROM " + t + ", unnest(ARRAY[300, 3600]) w, generate_series(1, 3) r ON CONFLICT DO NOTHING")) {
            TestPostgres.execute("SET search_path TO " + SCHEMA + "; " + sql);
        }
    }

    private static long count(String sql) throws Exception {
        return TestPostgres.count("SELECT count(*) FROM " + SCHEMA + "." + sql);
    }

    private static final String CUTOFF = LATEST + " - interval '30 days'";

    private static void assertPrunedBefore(String cutoff) throws Exception {
        assertThat(count("order_metrics WHERE grain = '1m' AND window_start < " + cutoff)).isZero();
        assertThat(count("funnel_metrics WHERE grain = '1m' AND window_start < " + cutoff)).isZero();
        assertThat(count("active_users WHERE grain = '1m' AND window_start < " + cutoff)).isZero();
        assertThat(count("payment_metrics WHERE window_start < " + cutoff)).isZero();
        assertThat(count("gmv_sliding WHERE window_size_s = 300 AND window_end < " + cutoff)).isZero();
        assertThat(count("top_products WHERE window_size_s = 300 AND window_end < " + cutoff)).isZero();
    }

    @Test
    void rowsOfOneMinuteWindowsOlderThanThirtyDaysBeforeTheLatestMinuteGoAndEverythingElseStays() throws Exception {
        long recentMinutes = count("order_metrics WHERE grain = '1m' AND window_start >= " + CUTOFF);
        long hourly = count("order_metrics WHERE grain <> '1m'") + count("funnel_metrics WHERE grain = '1h'")
                + count("gmv_sliding WHERE window_size_s = 3600") + count("top_products WHERE window_size_s = 3600");
        assertThat(count("order_metrics WHERE grain = '1m' AND window_start < " + CUTOFF)).isGreaterThan(30);

        long deleted;
        try (Connection c = JDBC.connect()) {
            deleted = MinuteGrainPruning.prune(c);
        }
        assertThat(deleted).isPositive();
        assertPrunedBefore(CUTOFF);
        assertThat(count("order_metrics WHERE grain = '1m'")).isEqualTo(recentMinutes);
        assertThat(count("payment_metrics WHERE window_start >= " + CUTOFF)).isPositive();
        assertThat(count("order_metrics WHERE grain <> '1m'") + count("funnel_metrics WHERE grain = '1h'")
                + count("gmv_sliding WHERE window_size_s = 3600") + count("top_products WHERE window_size_s = 3600"))
                .isEqualTo(hourly);
        try (Connection c = JDBC.connect()) {
            assertThat(MinuteGrainPruning.prune(c)).isZero();
        }
    }

    @Test
    void eachCallDeletesOneSmallBatchPerTableUntilNothingIsLeft() throws Exception {
        try (Connection c = JDBC.connect(); Statement st = c.createStatement()) {
            long calls = 0;
            long n;
            do {
                try (ResultSet rs = st.executeQuery("SELECT pulse_prune_minutes(interval '30 days', 3)")) {
                    rs.next();
                    n = rs.getLong(1);
                }
                assertThat(n).isBetween(0L, 6 * 3L); // at most the batch from each of the six tables
                calls++;
            } while (n > 0);
            assertThat(calls).isGreaterThan(5);
        }
        assertPrunedBefore(CUTOFF);
    }

    @Test
    void theSettingSetsHowLongRowsAreKeptAndOffKeepsThemAll() throws Exception {
        long before = count("order_metrics WHERE grain = '1m'");
        try (Connection c = JDBC.connect(); Statement st = c.createStatement()) {
            st.execute("SET pulse.retention_1m = 'off'");
            assertThat(MinuteGrainPruning.prune(c)).isZero();
            assertThat(count("order_metrics WHERE grain = '1m'")).isEqualTo(before);
            st.execute("SET pulse.retention_1m = '10 days'");
            assertThat(MinuteGrainPruning.prune(c)).isPositive();
        }
        assertPrunedBefore(LATEST + " - interval '10 days'");
        assertThat(count("order_metrics WHERE grain = '1m' AND window_start >= " + LATEST + " - interval '10 days'")).isPositive();
    }

    @Test
    void aReaderInTheMiddleOfAQueryIsNeitherBlockedNorBlocking() throws Exception {
        try (Connection reader = TestPostgres.connect(); Statement st = reader.createStatement()) {
            reader.setAutoCommit(false);
            st.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ");
            long seen = count(st, "SELECT count(*) FROM " + SCHEMA + ".order_metrics WHERE grain = '1m'");
            // The reader's transaction is open (it holds its locks and snapshot); pruning neither waits for it...
            try (Connection c = JDBC.connect(); Statement p = c.createStatement()) {
                p.execute("SET lock_timeout = '2s'");
                assertThat(MinuteGrainPruning.prune(c)).isPositive();
            }
            // ...nor changes what it reads.
            assertThat(count(st, "SELECT count(*) FROM " + SCHEMA + ".order_metrics WHERE grain = '1m'")).isEqualTo(seen);
            reader.commit();
        }
        assertPrunedBefore(CUTOFF);
    }

    @Test
    void theJobPrunesEveryIntervalFromASinkTimer() throws Exception {
        TestProcessingTimeService timers = new TestProcessingTimeService();
        timers.setCurrentTime(0);
        MinuteGrainPruning.schedule(timers, JDBC, 1000);
        timers.setCurrentTime(999);
        assertThat(count("order_metrics WHERE grain = '1m' AND window_start < " + CUTOFF)).isPositive();
        timers.setCurrentTime(1000);
        assertPrunedBefore(CUTOFF);
        // And again an interval later.
        TestPostgres.execute("INSERT INTO " + SCHEMA + ".payment_metrics VALUES (" + LATEST + " - interval '31 days', 'x', "
                + LATEST + " - interval '31 days' + interval '1 minute', 1, 1, 0, 1, 1, true)");
        timers.setCurrentTime(2000);
        assertPrunedBefore(CUTOFF);
    }

    private static long count(Statement st, String sql) throws Exception {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
