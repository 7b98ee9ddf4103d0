package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.Oracle;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.BeforeAll;
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
 * A seeded dataset (disorder within lateness, ~2 % re-delivered, ~0.5 % malformed, crossing an hour and a day
 * boundary) replayed by {@link Main} with {@code --source files} in a Flink MiniCluster into a real PostgreSQL,
 * then compared row by row with plain SQL over the same raw events loaded into that PostgreSQL.
 */
class OrderMetricsEndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @TempDir
    static Path dataset;

    @BeforeAll
    static void writeAndLoadDataset() throws Exception {
        EventGenerator generator = new EventGenerator(11, 10, Instant.parse("2025-10-03T23:42:00Z").toEpochMilli(),
                EventGenerator.Faults.standard());
        DatasetWriter.write(dataset, generator, Duration.ofMinutes(30));
        Oracle.load(dataset);
    }

    private static int replay(String schema) {
        return Main.run(new String[] {"--source", "files", "--input", dataset.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", schema, "--parallelism", "2"},
                Map.of(), System.out, System.err);
    }

    @Test
    void orderMetricsEqualPlainSqlOverTheRawEventsRowByRow() throws Exception {
        assertThat(replay("e2e")).isZero();

        List<String> expected = Oracle.query("order_metrics.sql", "e2e");
        List<String> actual = Oracle.query("sink_order_metrics.sql", "e2e");
        assertThat(expected).hasSizeGreaterThan(500);
        assertThat(expected).extracting(r -> r.split("\\|")[0]).contains("1m", "1h", "1d");
        assertThat(actual).containsExactlyElementsOf(expected);
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.order_metrics WHERE NOT is_final")).isZero();

        // Every malformed line, and nothing else, is a dead letter with a reason and its file:line.
        assertThat(new HashSet<>(TestPostgres.rows("SELECT source FROM e2e.dead_letters")))
                .isEqualTo(Oracle.malformed(dataset)).isNotEmpty();
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters WHERE reason = '' OR payload = ''")).isZero();
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters d JOIN oracle.raw_events r "
                + "ON r.source = d.source WHERE r.line <> d.payload")).isZero();
        // Disorder stayed within allowed lateness: nothing is late.
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.late_events")).isZero();

        // A second full replay rewrites the same rows (idempotent upsert) and adds no dead letter twice.
        long deadLetters = TestPostgres.count("SELECT count(*) FROM e2e.dead_letters");
        assertThat(replay("e2e")).isZero();
        assertThat(Oracle.query("sink_order_metrics.sql", "e2e")).containsExactlyElementsOf(expected);
        assertThat(TestPostgres.count("SELECT count(*) FROM e2e.dead_letters")).isEqualTo(deadLetters);
    }
}
