package dev.pulse;

import dev.pulse.config.PulseOptions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.state.rocksdb.RocksDBConfigurableOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rocksdb.InfoLogLevel;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** bin/pulse keeps the state of a run that never ends on disk, and of a bounded run on the heap, unless told. */
class LocalBackendTest {
    private static PulseOptions.StateBackend backend(String... args) throws Exception {
        return Main.localBackend(PulseOptions.parse(args, Map.of()));
    }

    @Test
    void anUnboundedRunKeepsItsStateInRocksDb() throws Exception {
        assertThat(backend()).isEqualTo(PulseOptions.StateBackend.ROCKSDB);
        assertThat(backend("--source", "kafka", "--kafka-bootstrap", "localhost:9092"))
                .isEqualTo(PulseOptions.StateBackend.ROCKSDB);
    }

    @Test
    void aBoundedRunKeepsItsStateOnTheHeap(@TempDir Path dir) throws Exception {
        assertThat(backend("--duration", "10min")).isEqualTo(PulseOptions.StateBackend.HEAP);
        assertThat(backend("--source", "files", "--input", dir.toString())).isEqualTo(PulseOptions.StateBackend.HEAP);
        assertThat(backend("--source", "kafka", "--kafka-bootstrap", "localhost:9092", "--kafka-stop", "latest"))
                .isEqualTo(PulseOptions.StateBackend.HEAP);
    }

    @Test
    void theOptionWins() throws Exception {
        assertThat(backend("--state-backend", "heap")).isEqualTo(PulseOptions.StateBackend.HEAP);
        assertThat(backend("--duration", "1min", "--state-backend", "rocksdb")).isEqualTo(PulseOptions.StateBackend.ROCKSDB);
    }

    @Test
    void rocksDbCheckpointsIncrementallyAndTheHeapBackendInFull() {
        var conf = Main.stateBackend(PulseOptions.StateBackend.ROCKSDB);
        assertThat(conf.get(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(Main.stateBackend(PulseOptions.StateBackend.HEAP)
                .get(org.apache.flink.configuration.CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isFalse();
    }

    @Test
    void rocksDbRunsLocallyAsOnTheClusterWithItsInfoLogCapped() {
        Configuration cluster = GlobalConfiguration.loadConfiguration("flink-conf");
        Configuration local = Main.stateBackend(PulseOptions.StateBackend.ROCKSDB);
        assertThat(local.get(RocksDBConfigurableOptions.LOG_LEVEL)).isEqualTo(InfoLogLevel.WARN_LEVEL);
        assertThat(local.keySet()).hasSize(5);
        for (String key : local.keySet()) {
            assertThat(normal(cluster.getString(key, ""))).as("flink-conf/config.yaml " + key)
                    .isEqualTo(normal(local.getString(key, null)));
        }
    }

    /** "4 mb" and "4mb", "WARN_LEVEL" and "warn_level" are the same setting to Flink. */
    private static String normal(String value) {
        return value.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
    }
}
