package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.RefusingTable;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write that PostgreSQL refuses for good fails the job without restarts, here through {@link Main} on a
 * MiniCluster (the {@code flink run} path). The MiniCluster's own restart strategy (checkpointing on: unlimited
 * attempts) would otherwise restart the job for as long as the test waits. bin/pulse's path, with its 3 local
 * attempts, is {@code BinPulseIT}'s.
 */
class PermanentSinkFailureIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    @Test
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void aPlainInsertSinkRefusedByAConstraintFailsTheJobOnceWithOneLineNamingTheTable(@TempDir Path dir)
            throws Exception {
        DatasetWriter.write(dir, new EventGenerator(23, 8, DatasetWriter.DEFAULT_START.toEpochMilli(),
                EventGenerator.Faults.standard()), Duration.ofMinutes(20)); // ~0.5 % malformed: dead letters
        RefusingTable.install("refused_dead_letters", "dead_letters");
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int code = Main.run(new String[] {"--source", "files", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "refused_dead_letters",
                "--parallelism", "1"}, Map.of(), System.out, new PrintStream(err, true, StandardCharsets.UTF_8));

        assertThat(code).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly("pulse: the job failed: writing to "
                + "dead_letters: dead_letters is frozen for the audit (SQLState 23514; a restart cannot fix this, so "
                + "the job was not restarted)");
        // One job attempt: the connector tries the batch 6 times (5 retries), and 6 times again when the failed
        // writer is closed; every restart would add 12 more.
        assertThat(RefusingTable.attempts("refused_dead_letters")).isBetween(1L, 12L);
    }
}
