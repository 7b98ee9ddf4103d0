package dev.pulse;

import dev.pulse.support.TestKafka;
import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/flink run} of the jar when no cluster answers: exit 2 and one line naming the address and the fix. */
class FlinkRunMistakesIT {
    @Test
    void flinkRunWithNoClusterAtTheConfiguredAddressExitsTwoWithOneLine(@TempDir Path dir) throws Exception {
        Path conf = Files.createDirectories(dir.resolve("conf"));
        int port = TestKafka.freePort();
        Files.writeString(conf.resolve("config.yaml"), Files.readString(Path.of("flink-conf/config.yaml"))
                .replace("rest.port: 8081", "rest.port: " + port)
                // The client retries a submission 20 times, 3 s apart, by default: the message is what is tested here.
                + "\nrest.retry.max-attempts: 1\n", StandardCharsets.UTF_8);
        Path input = Files.createDirectories(dir.resolve("input"));
        ProcessBuilder pb = new ProcessBuilder(List.of(Path.of("bin/flink").toAbsolutePath().toString(), "run",
                Path.of("target/pulse.jar").toAbsolutePath().toString(), "--source", "files", "--input", input.toString(),
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "no_cluster"))
                .redirectError(dir.resolve("err").toFile()).redirectOutput(dir.resolve("out").toFile());
        pb.environment().put("FLINK_CONF_DIR", conf.toString());
        pb.environment().put("PULSE_CLUSTER_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES)).isTrue();
        List<String> err = Files.readAllLines(dir.resolve("err"));
        assertThat(p.exitValue()).as(String.join("\n", err)).isEqualTo(2);
        assertThat(err).hasSize(1);
        assertThat(err.get(0)).startsWith("pulse: cannot reach the Flink cluster at localhost:" + port)
                .contains("bin/local-cluster start");
    }
}
