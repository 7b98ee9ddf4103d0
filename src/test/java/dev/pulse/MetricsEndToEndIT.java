package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.Oracle;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Seeded datasets (10 % disorder within lateness, ~2 % re-delivered, ~0.5 % malformed, crossing an hour and a day
 * boundary) replayed by {@link Main} with {@code --source files} in a Flink MiniCluster into a real PostgreSQL.
 * Each of the six metric tables is compared row by row with plain SQL over the same raw events loaded into that
 * PostgreSQL ({@code src/test/resources/oracle/}).
 */
class MetricsEndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final String GAP = "5 minutes";
    private static final Map<String, String> PLACEHOLDERS = Map.of("GAP", GAP, "TOP_N", "10");

    private static Path dataset(Path dir, long seed, double lateShare) throws Exception {
        return dataset(dir, seed, lateShare, Duration.ofMinutes(5));
    }

    private static Path dataset(Path dir, long seed, double lateShare, Duration lateBy) throws Exception {
        EventGenerator generator = new EventGenerator(seed, 10, Instant.parse("2025-10-03T23:42:00Z").toEpochMilli(),
                EventGenerator.Faults.standard().withLate(lateShare, lateBy));
        DatasetWriter.write(dir, generator, Duration.ofMinutes(30));
        Oracle.load(dir);
        return dir;
    }

    private static int replay(Path dir, String schema) {
        return replay(dir, schema, 2);
    }

    private static int replay(Path dir, String schema, int parallelism, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--source", "files", "--input", dir.toString(),
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", schema, "--parallelism",
                Integer.toString(parallelism), "--session-gap", "5min"));
        args.addAll(List.of(more));
        return Main.run(args.toArray(String[]::new), Map.of(), System.out, System.err);
    }

    private static void assertEveryTableEqualsTheOracle(String schema) throws Exception {
        Oracle.prepare(schema);
        for (String table : Oracle.TABLES) {
            List<String> expected = Oracle.expected(table, PLACEHOLDERS);
            assertThat(expected).as(table + " oracle").hasSizeGreaterThanOrEqualTo(Oracle.minimumRows(table));
            assertThat(Oracle.actual(table, schema)).as(table).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void everyMetricTableEqualsPlainSqlOverTheRawEventsRowByRow(@TempDir Path dir) throws Exception {
        dataset(dir, 11, 0.0);
        assertThat(replay(dir, "e2e")).isZero();

        assertEveryTableEqualsTheOracle("e2e");
        assertThat(Oracle.expected("order_metrics", PLACEHOLDERS)).extracting(r -> r.split("\\|")[0])
                .contains("1m", "1h", "1d");
        for (String table : Oracle.TABLES) {
            assertThat(TestPostgres.count("SELECT count(*) FROM e2e." + table + " WHERE NOT is_final")).as(table).isZero();
        }
        // Every malformed line, and nothing else, is a dead letter with a reason and its file:line.
        assertThat(new HashSet<>(TestPostgres.rows("SELECT source FROM e2e.dead_letters")))
                .isEqualTo(Oracle.malformed(dir)).isNotEmpty();
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters WHERE reason = '' OR payload = ''")).isZero();
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters d JOIN oracle.raw_events r "
                + "ON r.source = d.source WHERE r.line <> d.payload")).isZero();
        // Disorder stayed within allowed lateness: nothing is late.
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.late_events")).isZero();

        // A second full replay rewrites the same rows (idempotent upsert) and adds no dead letter twice.
        long deadLetters = TestPostgres.count("SELECT count(*) FROM e2e.dead_letters");
        assertThat(replay(dir, "e2e")).isZero();
        assertEveryTableEqualsTheOracle("e2e");
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters")).isEqualTo(deadLetters);
    }

    @Test
    void survivesPostgresDroppingItsConnectionsMidRun(@TempDir Path dir) throws Exception {
        dataset(dir, 31, 0.0);
        java.util.concurrent.atomic.AtomicInteger killed = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean done = new java.util.concurrent.atomic.AtomicBoolean();
        Thread killer = new Thread(() -> {
            try (var c = TestPostgres.connect(); var st = c.createStatement()) {
                // Start once the job is past start-up (there, a lost database is exit 2): when its first rows are in.
                // A view of the schema is no such sign: the installer still has the BI objects and the role to do.
                while (!done.get()) {
                    if (TestPostgres.rows("SELECT to_regclass('flaky.order_metrics') IS NOT NULL").equals(List.of("t"))
                            && TestPostgres.rows("SELECT EXISTS (SELECT 1 FROM flaky.order_metrics)").equals(List.of("t"))) {
                        break;
                    }
                    Thread.sleep(50);
                }
                while (!done.get() && killed.get() < 4) {
                    try (var rs = st.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                            + "WHERE datname = current_database() AND pid <> pg_backend_pid() "
                            + "AND backend_type = 'client backend'")) {
                        rs.next();
                        if (rs.getInt(1) > 0) {
                            killed.incrementAndGet();
                            Thread.sleep(1500);
                        }
                    }
                    Thread.sleep(100);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        killer.start();
        int exit = replay(dir, "flaky");
        done.set(true);
        killer.join();

        assertThat(exit).isZero();
        assertThat(killed.get()).as("times the job's connections were killed").isPositive();
        assertEveryTableEqualsTheOracle("flaky");
    }

    @Test
    void everyValidEventIsCountedOrInLateEventsNeverBoth(@TempDir Path dir) throws Exception {
        dataset(dir, 23, 0.02);
        assertThat(replay(dir, "late")).isZero();
        Oracle.prepare("late");

        assertThat(TestPostgres.count("SELECT count(*) FROM late.late_events")).isGreaterThan(100);
        assertThat(TestPostgres.count("SELECT count(*) FROM late.late_events l WHERE NOT EXISTS "
                + "(SELECT 1 FROM oracle.valid v WHERE v.stream = l.stream AND v.event_id = l.event_id)"))
                .as("late events that are not valid input events").isZero();
        assertThat(TestPostgres.count("SELECT count(*) FROM late.late_events WHERE event_time >= watermark"))
                .as("late events that were not behind the watermark").isZero();
        assertThat(TestPostgres.rows("SELECT DISTINCT stream FROM late.late_events ORDER BY 1"))
                .containsExactly("behavior", "orders", "payments");
        // The oracle counts exactly the valid events not in late_events; every table must match it.
        assertEveryTableEqualsTheOracle("late");

        // Lateness follows the data, not the read speed nor where state lives: a second replay, with its state in
        // RocksDB, sets aside exactly the same events and writes the same tables.
        assertThat(replay(dir, "late_again", 2, "--state-backend", "rocksdb")).isZero();
        assertThat(rocksDbLoaded()).as("RocksDB's native library loaded by the TaskManager (same JVM)").isTrue();
        assertThat(TestPostgres.rows("SELECT stream, event_id FROM late_again.late_events ORDER BY 1, 2"))
                .isEqualTo(TestPostgres.rows("SELECT stream, event_id FROM late.late_events ORDER BY 1, 2"));
        assertEveryTableEqualsTheOracle("late_again");
    }

    /** No other test of this JVM uses RocksDB: the flag says whether this run's TaskManager opened it. */
    private static boolean rocksDbLoaded() throws Exception {
        java.lang.reflect.Field loaded = org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend.class
                .getDeclaredField("rocksDbInitialized");
        loaded.setAccessible(true);
        return loaded.getBoolean(null);
    }

    /**
     * 8 % of the records arrive 62-124 s behind their place: some are still within allowed lateness of their
     * minute and bridge into a session whose own window ended up to a minute earlier (the boundary that once
     * split sessions), the rest are beyond lateness. Same tables at parallelism 1 and 2, run after run.
     */
    @Test
    void sessionsBridgedAtTheLatenessEdgeAreExactAtParallelismOneAndTwoRunAfterRun(@TempDir Path dir) throws Exception {
        dataset(dir, 53, 0.08, Duration.ofSeconds(62));
        List<String> schemas = List.of("edge_p1", "edge_p1_again", "edge_p2", "edge_p2_again");
        for (String schema : schemas) {
            assertThat(replay(dir, schema, schema.startsWith("edge_p1") ? 1 : 2)).as(schema).isZero();
        }
        assertThat(TestPostgres.count("SELECT count(*) FROM edge_p1.late_events")).isGreaterThan(100);
        for (String schema : schemas) {
            assertThat(TestPostgres.rows("SELECT stream, event_id FROM " + schema + ".late_events ORDER BY 1, 2"))
                    .as(schema + " late events").isEqualTo(TestPostgres.rows("SELECT stream, event_id FROM edge_p1.late_events ORDER BY 1, 2"));
            assertEveryTableEqualsTheOracle(schema);
        }
    }
}
