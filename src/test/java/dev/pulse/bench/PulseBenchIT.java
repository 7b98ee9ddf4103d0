package dev.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/pulse-bench --smoke} end to end, so the benchmark cannot rot: every row (Pulse, the SQL baseline, the
 * floor) is in bench.json with positive figures, the live run and the freshness phase (Kafka from bin/local-cluster,
 * bin/pulse --source kafka, the probe) report, and the chart is a PNG. Checks no figure's size: timing belongs to
 * the benchmark, never to a test.
 */
class PulseBenchIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @Test
    void theSmokeBenchmarkWritesEveryRowAndTheChart() throws Exception {
        Path out = ROOT.resolve("target/bench-it");
        List<String> command = new ArrayList<>(List.of("bin/pulse-bench", "--smoke", "--out", out.toString(),
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(ROOT.resolve("target/bench-it.log").toFile());
        pb.environment().put("PULSE_JAVA_OPTS", "-Xmx1g");
        pb.environment().put("PULSE_SQL_HEAP", "1g");
        Process p = pb.start();
        // A bound against a hang only (several minutes of Flink SQL planning are normal on a busy machine).
        assertThat(p.waitFor(30, TimeUnit.MINUTES)).as("bin/pulse-bench --smoke finished").isTrue();
        String log = Files.readString(ROOT.resolve("target/bench-it.log"));
        assertThat(p.exitValue()).as(log).isZero();
        assertThat(log).contains("events/CPU-s").contains("p1: pulse / sql events per CPU-second");

        JsonNode json = new ObjectMapper().readTree(out.resolve("bench.json").toFile());
        List<String> rows = new ArrayList<>();
        for (JsonNode row : json.get("rows")) {
            rows.add(row.get("name").asText() + " p" + row.get("parallelism").asInt());
            for (String figure : List.of("events", "wall_s", "cpu_s", "user_s", "events_per_s", "events_per_cpu_s", "peak_rss_mb")) {
                assertThat(row.get(figure).asDouble()).as(row + " " + figure).isPositive();
            }
            assertThat(row.get("events").asLong()).isEqualTo(1560);
        }
        assertThat(rows).containsExactly("pulse p1", "pulse_all p1", "pulse_rocksdb p1", "sql p1", "floor p1");
        assertThat(json.get("meta").get("machine").asText()).contains("cores");
        assertThat(json.get("row_meanings").size()).isEqualTo(5);
        assertThat(log).contains("p1: pulse_all / sql events per CPU-second", "p1: pulse_rocksdb / sql events per CPU-second");

        // The live run: heap samples after GC and the checkpoints of a half-minute run of bin/pulse.
        JsonNode live = new ObjectMapper().readTree(out.resolve("live.json").toFile());
        assertThat(live.get("heap")).isNotEmpty();
        for (JsonNode sample : live.get("heap")) {
            assertThat(sample.get("heap_after_gc_mb").asDouble()).as(sample.toString()).isPositive();
            assertThat(sample.get("rss_mb").asDouble()).as(sample.toString()).isGreaterThan(sample.get("heap_after_gc_mb").asDouble());
        }
        assertThat(live.get("checkpoints")).isNotEmpty();
        assertThat(live.get("checkpoints").get(0).get("bytes").asLong()).isPositive();
        assertThat(log).contains("second half: heap").contains("checkpoints: ");

        // Freshness: half a minute of paid orders (and the mix's other events) through Kafka and a live job, each timed to its row's commit.
        JsonNode fresh = json.get("freshness");
        assertThat(fresh).as("bench.json has the freshness figures").isNotNull();
        assertThat(fresh.get("events_measured").asLong()).isPositive();
        assertThat(fresh.get("p50_ms").asLong()).isPositive();
        assertThat(fresh.get("p99_ms").asLong()).isGreaterThanOrEqualTo(fresh.get("p50_ms").asLong());
        assertThat(fresh.get("max_ms").asLong()).isGreaterThanOrEqualTo(fresh.get("p99_ms").asLong());
        assertThat(fresh.get("windows")).isNotEmpty();
        assertThat(fresh.at("/mix_events_sent/behavior").asLong()).as("the default mix's behaviour events flowed too")
                .isPositive();
        assertThat(fresh.at("/mix_events_sent/payments").asLong()).isPositive();
        assertThat(log).contains("freshness (Kafka append -> row committed in PostgreSQL");

        File png = out.resolve("bench.png").toFile();
        BufferedImage image = ImageIO.read(png);
        assertThat(image).as("bench.png is a PNG").isNotNull();
        assertThat(image.getWidth()).isPositive();
        assertThat(image.getHeight()).isPositive();
    }
}
