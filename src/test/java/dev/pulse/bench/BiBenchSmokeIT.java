package dev.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keeps {@code bin/pulse-bi-bench} from rotting: a smoke run (1 day, 4 clients, 2 s per query) must exit 0 and write
 * a result with every query for every design, with positive counts and no errors. No latency is asserted (2 shared
 * cores; a benchmark, not a timed test).
 */
class BiBenchSmokeIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();

    @TempDir
    Path dir;

    private JsonNode run(List<String> args, int expectedExit) throws Exception {
        List<String> command = new ArrayList<>();
        command.add("bin/pulse-bi-bench");
        command.addAll(args);
        Path out = dir.resolve("bi.json");
        command.add("--out");
        command.add(out.toString());
        Path log = dir.resolve("bench.log");
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("PULSE_BENCH_HOME", dir.resolve("home").toString());
        Process p = pb.start();
        boolean exited = p.waitFor(15, TimeUnit.MINUTES);
        if (!exited) {
            p.destroyForcibly().waitFor();
        }
        assertThat(exited).as("exited in time; output:%n%s", Files.readString(log)).isTrue();
        assertThat(p.exitValue()).as("exit status; output:%n%s", Files.readString(log)).isEqualTo(expectedExit);
        assertThat(Files.exists(dir.resolve("home").resolve("pgdata"))).as("the database is removed").isFalse();
        return expectedExit == 0 ? new ObjectMapper().readTree(out.toFile()) : null;
    }

    private static void assertComplete(JsonNode json, List<String> queries) {
        for (String design : List.of("sink", "mv", "raw")) {
            for (String query : queries) {
                JsonNode result = null;
                for (JsonNode r : json.get("results")) {
                    if (r.get("design").asText().equals(design) && r.get("query").asText().equals(query)) {
                        result = r;
                    }
                }
                assertThat(result).as("%s %s", design, query).isNotNull();
                assertThat(result.get("count").asLong()).as("%s %s count", design, query).isPositive();
                assertThat(result.get("errors").asLong()).as("%s %s errors: %s", design, query, result.get("first_error"))
                        .isZero();
                assertThat(result.get("p50_ms").asDouble()).as("%s %s p50", design, query).isNotNegative(); // a query under the log's resolution reads 0
                assertThat(result.get("p99_ms").asDouble()).as("%s %s p99", design, query)
                        .isGreaterThanOrEqualTo(result.get("p50_ms").asDouble());
                assertThat(json.get("rows_returned").get(design).get(query).asLong())
                        .as("%s %s answers with rows", design, query).isPositive();
            }
        }
        assertThat(json.get("mv_refresh").get("refreshes").asInt()).as("materialized views refreshed").isPositive();
        assertThat(json.get("mv_refresh").has("error")).as("refresh error: %s", json.get("mv_refresh")).isFalse();
        assertThat(json.get("data").get("rows").get("pulse.order_metrics").asLong()).isPositive();
        assertThat(json.get("data").get("rows").get("pulse_raw.orders").asLong()).isPositive();
        assertThat(json.get("data").get("rows").get("pulse_mv.order_metrics").asLong()).isPositive();
    }

    @Test
    void smokeRunMeasuresEveryQueryOfEveryDesign() throws Exception {
        JsonNode json = run(List.of("--smoke"), 0);
        assertThat(json.get("settings").get("days").asInt()).isEqualTo(1);
        assertThat(json.get("settings").get("clients").asInt()).isEqualTo(4);
        assertComplete(json, BiBench.names());
    }

    @Test
    void jdbcDriverToo() throws Exception {
        JsonNode json = run(List.of("--smoke", "--driver", "jdbc", "--queries", "gmv_today,sessions_24h,dashboard"), 0);
        assertThat(json.get("settings").get("driver").asText()).isEqualTo("jdbc");
        assertComplete(json, List.of("gmv_today", "sessions_24h", "dashboard"));
    }

    @Test
    void badOptionsExitTwo() throws Exception {
        run(List.of("--queries", "nope"), 2);
        run(List.of("--clients", "zero"), 2);
    }
}
