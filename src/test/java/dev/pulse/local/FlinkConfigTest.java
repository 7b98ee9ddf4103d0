package dev.pulse.local;

import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExternalizedCheckpointRetention;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.configuration.HeartbeatManagerOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.configuration.RestartStrategyOptions;
import org.apache.flink.configuration.StateBackendOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointingMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** flink-conf/config.yaml as Flink itself reads it: every setting lands on the option it is meant for. */
class FlinkConfigTest {
    private static final Path REPO_CONF = Path.of("flink-conf");

    @Test
    void theProductionConfigurationSetsCheckpointingStateRestartsAndJobHygieneAsFlinkReadsThem() {
        Configuration conf = GlobalConfiguration.loadConfiguration(REPO_CONF.toString());
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTING_CONSISTENCY_MODE)).isEqualTo(CheckpointingMode.EXACTLY_ONCE);
        assertThat(conf.get(CheckpointingOptions.EXTERNALIZED_CHECKPOINT_RETENTION))
                .isEqualTo(ExternalizedCheckpointRetention.RETAIN_ON_CANCELLATION);
        assertThat(conf.get(CheckpointingOptions.CHECKPOINTS_DIRECTORY)).startsWith("file:///");
        assertThat(conf.get(CheckpointingOptions.SAVEPOINT_DIRECTORY)).startsWith("file:///");
        assertThat(conf.get(StateBackendOptions.STATE_BACKEND)).isEqualTo("rocksdb");
        assertThat(conf.get(CheckpointingOptions.INCREMENTAL_CHECKPOINTS)).isTrue();
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY)).isEqualTo("exponential-delay");
        assertThat(conf.get(RestartStrategyOptions.RESTART_STRATEGY_EXPONENTIAL_DELAY_MAX_BACKOFF)).isEqualTo(Duration.ofMinutes(1));
        assertThat(conf.get(PipelineOptions.AUTO_GENERATE_UIDS)).isFalse();
        assertThat(conf.get(PipelineOptions.GENERIC_TYPES)).isFalse();
        assertThat(conf.get(TaskManagerOptions.NUM_TASK_SLOTS)).isEqualTo(2);
        assertThat(conf.get(HeartbeatManagerOptions.HEARTBEAT_TIMEOUT)).isEqualTo(Duration.ofSeconds(15));
        assertThat(conf.getString("metrics.reporter.prom.factory.class", ""))
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(conf.get(JobManagerOptions.EXECUTION_FAILOVER_STRATEGY)).isEqualTo("region");
    }

    @Test
    void theLocalClusterCopyKeepsEverySettingAndReplacesOnlyAddressesPortsAndFolders(@TempDir Path home) throws Exception {
        LocalCluster cluster = new LocalCluster(home, Path.of("").toAbsolutePath(),
                new LocalCluster.Ports(19092, 19093, 18081, 16123, 15432), new PrintStream(new ByteArrayOutputStream()));
        Files.createDirectories(home.resolve("conf"));
        cluster.writeFlinkConfig();
        Configuration local = GlobalConfiguration.loadConfiguration(home.resolve("conf").toString());
        Configuration base = GlobalConfiguration.loadConfiguration(REPO_CONF.toString());
        Map<String, String> replaced = Map.of("rest.port", "18081", "jobmanager.rpc.port", "16123",
                "execution.checkpointing.dir", home.resolve("flink/checkpoints").toUri().toString(),
                "jobmanager.rpc.address", "127.0.0.1");
        for (String key : base.keySet()) {
            if (replaced.containsKey(key)) {
                assertThat(local.getString(key, null)).as(key).isEqualTo(replaced.get(key));
            } else if (!key.contains("address") && !key.contains("host") && !key.endsWith("savepoint-dir")) {
                assertThat(local.getString(key, null)).as(key).isEqualTo(base.getString(key, null));
            }
        }
        // No key twice: Flink's YAML parser would reject the file.
        assertThat(Files.readAllLines(home.resolve("conf/config.yaml"), StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#")).map(l -> l.substring(0, l.indexOf(':'))))
                .doesNotHaveDuplicates();
        assertThat(cluster.javaOpts()).contains("--add-opens=java.base/java.util=ALL-UNNAMED");
    }
}
