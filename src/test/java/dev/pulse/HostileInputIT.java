package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.HostileRecords;
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
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A hostile producer: a seeded dataset (disorder, re-deliveries, repeated paid/cancelled events, malformed lines)
 * with records of every bad-input class of SPEC §1 injected into all three streams. The replay must finish
 * (exit 0), put every bad record into {@code dead_letters} exactly once, and leave every table equal to plain SQL
 * over the good events.
 */
class HostileInputIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    void noRecordStopsTheJobEveryBadOneIsOneDeadLetterAndEveryTableEqualsPlainSql(@TempDir Path dir) throws Exception {
        EventGenerator generator = new EventGenerator(41, 10, Instant.parse("2025-10-03T23:42:00Z").toEpochMilli(),
                EventGenerator.Faults.standard());
        DatasetWriter.write(dir, generator, Duration.ofMinutes(30));
        Map<String, HostileRecords.Hostile> injected = HostileRecords.inject(dir);
        Oracle.load(dir);

        int exit = Main.run(new String[] {"--source", "files", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "hostile", "--parallelism", "2",
                "--session-gap", "5min"}, Map.of(), System.out, System.err);
        assertThat(exit).isZero();

        // Exactly the malformed lines (the generator's and the injected ones) are dead letters, each once.
        List<String> sources = TestPostgres.rows("SELECT source FROM hostile.dead_letters");
        assertThat(sources).doesNotHaveDuplicates();
        assertThat(new HashSet<>(sources)).isEqualTo(Oracle.malformed(dir));
        Set<String> injectedDead = injected.entrySet().stream()
                .filter(e -> e.getValue().fate() == HostileRecords.Fate.DEAD_LETTER).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertThat(sources).containsAll(injectedDead);
        assertThat(injectedDead).hasSizeGreaterThan(90);
        assertThat(TestPostgres.count("SELECT count(*) FROM hostile.dead_letters WHERE reason = '' "
                + "OR reason ~ '[\\r\\n]' OR length(reason) > 400")).as("reasons that are not one short line").isZero();
        for (var e : injected.entrySet()) {
            if (e.getValue().fate() != HostileRecords.Fate.DEAD_LETTER) {
                assertThat(sources).as(e.getValue().label()).doesNotContain(e.getKey());
            }
        }
        // Invalid bytes are kept, escaped; two ids that differ only in an invalid byte stay two records.
        assertThat(TestPostgres.count("SELECT count(*) FROM hostile.dead_letters WHERE reason LIKE 'not UTF-8 at byte %' "
                + "AND (payload LIKE '%\\xC0%' OR payload LIKE '%\\xFF%')")).isGreaterThanOrEqualTo(6);
        assertThat(TestPostgres.rows("SELECT DISTINCT reason FROM hostile.dead_letters WHERE payload LIKE '%\\x00%' "
                + "ORDER BY 1")).isNotEmpty();
        assertThat(TestPostgres.rows("SELECT reason FROM hostile.dead_letters WHERE payload LIKE '%\"9999-12-31T23:59:59Z\"%'"))
                .hasSize(3).allMatch(r -> r.contains("in the future"));

        // No record moved the watermark: disorder stayed within lateness, so nothing is late.
        assertThat(TestPostgres.count("SELECT count(*) FROM hostile.late_events")).isZero();
        // The valid hostile records were counted, their text stored as it was.
        assertThat(TestPostgres.count("SELECT count(*) FROM hostile.payment_metrics WHERE method LIKE '''); DROP TABLE%'"))
                .isPositive();

        Oracle.prepare("hostile");
        for (String table : Oracle.TABLES) {
            assertThat(Oracle.actual(table, "hostile")).as(table)
                    .containsExactlyElementsOf(Oracle.expected(table, Map.of("GAP", "5 minutes", "TOP_N", "10")))
                    .isNotEmpty();
        }
        // Repeated paid/cancelled events were in the input, and counted nowhere (the oracle drops them).
        assertThat(TestPostgres.count("SELECT count(*) FROM oracle.repeats")).isGreaterThan(20);
    }
}
