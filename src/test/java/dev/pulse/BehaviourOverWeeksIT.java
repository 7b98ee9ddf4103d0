package dev.pulse;

import dev.pulse.support.Oracle;
import dev.pulse.support.SparseBehaviorDataset;
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
 * The metrics that span days (active_users per day, retention cohorts over 30 days, path transitions across
 * sessions) on five weeks of sparse behaviour: users returning on later days, late events within lateness (one
 * moving a user to an earlier cohort) and beyond it, re-deliveries, ties and malformed lines. Each table equals plain
 * SQL over the raw lines ({@code min(event_time)} cohorts, {@code lead()} transitions, {@code count(DISTINCT)}), row by
 * row, and every row is final; so do the other behaviour tables on the same data.
 */
class BehaviourOverWeeksIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final List<String> BEHAVIOUR_TABLES = List.of("active_users", "retention", "path_transitions",
            "session_funnel", "funnel_metrics");

    @Test
    void activeUsersRetentionAndPathsEqualPlainSqlOverFiveWeeksOfSparseTraffic(@TempDir Path dir) throws Exception {
        // -Dpulse.weeks.seed=N replays another dataset of the same shape (how the unseen-data checks were run).
        long seed = Long.getLong("pulse.weeks.seed", 35);
        int lines = SparseBehaviorDataset.write(dir, seed, 400, 36, Instant.parse("2025-09-01T00:00:00Z"),
                Duration.ofMinutes(30));
        assertThat(lines).isGreaterThan(5_000);
        assertThat(Main.run(new String[] {"--source", "files", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "weeks", "--parallelism", "2"},
                Map.of(), System.out, System.err)).isZero();

        Oracle.load(dir);
        Oracle.prepare("weeks");
        for (String table : BEHAVIOUR_TABLES) {
            List<String> expected = Oracle.expected(table, Map.of("GAP", "30 minutes"));
            System.out.printf("weeks (seed %d, %d lines): %s %d rows%n", seed, lines, table, expected.size());
            assertThat(expected).as(table + " oracle").hasSizeGreaterThanOrEqualTo(30);
            assertThat(Oracle.actual(table, "weeks")).as(table).containsExactlyElementsOf(expected);
            assertThat(TestPostgres.count("SELECT count(*) FROM weeks." + table + " WHERE NOT is_final"))
                    .as(table + " rows not final").isZero();
        }
        // The data reached what the tables are for: cohorts retained on day 1, 7 and 30, days of many users, late
        // events set aside, and every malformed line a dead letter.
        assertThat(TestPostgres.count("SELECT count(*) FROM weeks.retention WHERE retained_d1 > 0")).isPositive();
        assertThat(TestPostgres.count("SELECT count(*) FROM weeks.retention WHERE retained_d7 > 0")).isPositive();
        assertThat(TestPostgres.count("SELECT count(*) FROM weeks.retention WHERE retained_d30 > 0")).isPositive();
        assertThat(TestPostgres.count("SELECT count(*) FROM weeks.active_users WHERE grain = '1d'")).isGreaterThan(30);
        assertThat(TestPostgres.count("SELECT count(*) FROM weeks.late_events")).isPositive();
        assertThat(new HashSet<>(TestPostgres.rows("SELECT source FROM weeks.dead_letters")))
                .isEqualTo(Oracle.malformed(dir)).isNotEmpty();
        // Users whose earliest event arrived after a later one of theirs, and still counted (the cohort moved).
        assertThat(TestPostgres.count("""
                SELECT count(*) FROM (
                    SELECT (j->>'user_id')::bigint AS user_id, t, seq,
                           min(t) OVER (PARTITION BY j->>'user_id') AS first_t,
                           min(seq) OVER (PARTITION BY j->>'user_id') AS first_seq
                    FROM oracle.counted WHERE stream = 'behavior') e
                WHERE t = first_t AND seq > first_seq
                  AND (t AT TIME ZONE 'UTC')::date < ((SELECT min(t) FROM oracle.counted c
                       WHERE c.stream = 'behavior' AND (c.j->>'user_id')::bigint = e.user_id AND c.seq = e.first_seq)
                       AT TIME ZONE 'UTC')::date""")).as("users moved to an earlier cohort").isPositive();
    }
}
