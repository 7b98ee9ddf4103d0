package dev.pulse;

import dev.pulse.config.PulseOptions;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
}
