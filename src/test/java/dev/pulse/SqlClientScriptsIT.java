package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.events.StreamName;
import dev.pulse.source.KafkaReplayProducer;
import dev.pulse.support.Oracle;
import dev.pulse.support.TestKafka;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The SQL client scripts of {@code sql/flink/} against the job, on one seeded dataset (disorder within the watermark
 * bound, re-deliveries, malformed lines, repeated paid/cancelled events, crossing an hour and a day boundary): the job
 * ({@link Main#run}, files source, MiniCluster) writes its tables into one schema; the real Flink SQL client
 * ({@code bin/sql-client}, a separate JVM) runs every table script in one invocation into {@code sql_<table>} of
 * another; each {@code sql_<table>} equals the job's table row by row, to the cent. SESSION and CUMULATE are also
 * checked against plain SQL over the raw lines, and two scripts run again from Kafka topics holding the same lines.
 */
class SqlClientScriptsIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    /** From Kafka: the "first paid in arrival order" rule, and a de-duplicated stream. */
    static final List<String> KAFKA_SCRIPTS = List.of("order_metrics", "payment_metrics");

    static final List<String> SCRIPTS = List.of("order_metrics", "payment_metrics", "funnel_metrics", "gmv_sliding",
            "top_products", "session_funnel");

    /** A password the client gets (the test PostgreSQL trusts local users and ignores it) and must never show. */
    static final String SECRET = "Pulse-Secret-" + Long.toHexString(Double.doubleToLongBits(Math.random())) + "-Zq";

    @Test
    void everyTableScriptRunByTheSqlClientEqualsTheJobsTable(@TempDir Path dir, @TempDir Path home, @TempDir Path tmp)
            throws Exception {
        EventGenerator generator = new EventGenerator(61, 5, Instant.parse("2025-10-03T23:50:00Z").toEpochMilli(),
                EventGenerator.Faults.standard());
        DatasetWriter.write(dir, generator, Duration.ofMinutes(20));

        long jobStart = System.nanoTime();
        assertThat(Main.run(new String[] {"--source", "files", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "sqljob", "--parallelism", "2",
                "--session-gap", "5min"}, Map.of(), System.out, System.err)).isZero();
        System.out.printf("job: %.1f s wall%n", (System.nanoTime() - jobStart) / 1e9);
        assertThat(TestPostgres.count("SELECT count(*) FROM sqljob.late_events")).isZero();

        List<String> command = new ArrayList<>(List.of("bin/sql-client", "--input", dir.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "sqlc", "--session-gap", "5min"));
        for (String s : SCRIPTS) {
            command.add("-f");
            command.add("sql/flink/" + s + ".sql");
        }
        // The ad-hoc CUMULATE script as shipped, kept in sql_gmv_today (checked against plain SQL below).
        String gmvToday = Files.readAllLines(Path.of("sql/flink/adhoc_gmv_today.sql")).stream()
                .filter(l -> !l.startsWith("--")).collect(Collectors.joining("\n"));
        Path gmvTodayScript = home.resolve("gmv_today.sql");
        Files.writeString(gmvTodayScript, "INSERT INTO sql_gmv_today\n" + gmvToday + "\n");
        command.add("-f");
        command.add(gmvTodayScript.toString());
        runClient(command, home, tmp);

        for (String table : SCRIPTS) {
            List<String> job = Oracle.actual(table, "sqljob");
            List<String> sql = TestPostgres.rows(Oracle.sinkTableQueries().get(table)
                    .replace("${SCHEMA}." + table, "sqlc.sql_" + table));
            assertThat(job).as(table + " (job)").hasSizeGreaterThanOrEqualTo(8);
            assertThat(sql).as("sql_" + table + " equals the job's " + table).containsExactlyElementsOf(job);
        }

        // CUMULATE against plain SQL over the raw lines (the job reported no late event).
        Oracle.load(dir);
        Oracle.prepare("sqljob");
        List<String> expected = Oracle.expected("gmv_today", Map.of());
        assertThat(expected).as("gmv_today oracle").hasSizeGreaterThanOrEqualTo(100);
        assertThat(TestPostgres.rows("SELECT to_char(day_start AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), "
                + "to_char(up_to AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS'), orders, trim_scale(gmv) "
                + "FROM sqlc.sql_gmv_today ORDER BY 1, 2"))
                .as("sql_gmv_today (adhoc_gmv_today.sql) equals plain SQL").containsExactlyElementsOf(expected);
        // SESSION against plain SQL too (lag() gaps over the raw events), not only against the job.
        List<String> sessions = Oracle.expected("session_funnel", Map.of("GAP", "5 minutes", "TOP_N", "10"));
        assertThat(TestPostgres.rows(Oracle.sinkTableQueries().get("session_funnel")
                .replace("${SCHEMA}.session_funnel", "sqlc.sql_session_funnel")))
                .as("sql_session_funnel equals plain SQL").containsExactlyElementsOf(sessions).isNotEmpty();

        // The same scripts on Kafka: the folder written into three-partition topics (keyed as bin/pulse-produce
        // keys them), read to the end offsets, with the replay's watermark delay.
        Map<StreamName, String> topics = Map.of(StreamName.ORDERS, "sqlc-orders", StreamName.BEHAVIOR, "sqlc-behavior",
                StreamName.PAYMENTS, "sqlc-payments");
        KafkaReplayProducer.produce(dir, TestKafka.bootstrap(), 3, topics);
        List<String> kafka = new ArrayList<>(List.of("bin/sql-client", "--kafka-bootstrap", TestKafka.bootstrap(),
                "--topic-orders", "sqlc-orders", "--topic-behavior", "sqlc-behavior", "--topic-payments", "sqlc-payments",
                "--kafka-start", "earliest", "--kafka-stop", "latest", "--watermark-delay", "65s",
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "sqlk", "--session-gap", "5min"));
        for (String s : KAFKA_SCRIPTS) {
            kafka.add("-f");
            kafka.add("sql/flink/" + s + ".sql");
        }
        runClient(kafka, home, tmp);
        for (String table : KAFKA_SCRIPTS) {
            assertThat(TestPostgres.rows(Oracle.sinkTableQueries().get(table).replace("${SCHEMA}." + table, "sqlk.sql_" + table)))
                    .as("sql_" + table + " from Kafka equals the job's " + table)
                    .containsExactlyElementsOf(Oracle.actual(table, "sqljob"));
        }
    }

    /**
     * Every script of {@code sql/flink/} (table and ad hoc) as Flink 2.0.0 plans it: each window operator, and
     * everything below it, carries an insert-only stream (changelogMode=[I]) and no retracting accumulator. The
     * de-duplicated views use a running COUNT(*) OVER instead of ROW_NUMBER keep-first, which 2.0.0 plans as
     * updating (FLINK-37005): this fails if someone "simplifies" them back.
     */
    @Test
    void everyScriptsWindowsReadAnInsertOnlyStream(@TempDir Path dir, @TempDir Path home, @TempDir Path tmp)
            throws Exception {
        DatasetWriter.write(dir, new EventGenerator(5, 5, Instant.parse("2025-10-03T10:00:00Z").toEpochMilli(),
                EventGenerator.Faults.standard()), Duration.ofMinutes(1));
        List<Path> scripts;
        try (var files = Files.list(Path.of("sql/flink"))) {
            scripts = files.filter(f -> f.getFileName().toString().matches("[a-z].*\\.sql")).sorted().toList();
        }
        assertThat(scripts).hasSizeGreaterThanOrEqualTo(SCRIPTS.size() + 3);
        StringBuilder explain = new StringBuilder();
        for (Path script : scripts) {
            String sql = Files.readAllLines(script).stream().filter(l -> !l.startsWith("--"))
                    .collect(Collectors.joining("\n")).strip();
            explain.append(sql.startsWith("EXECUTE STATEMENT SET")
                    ? sql.replaceFirst("EXECUTE STATEMENT SET", "EXPLAIN CHANGELOG_MODE STATEMENT SET")
                    : "EXPLAIN CHANGELOG_MODE " + sql).append("\n");
        }
        Path explainScript = home.resolve("explain.sql");
        Files.writeString(explainScript, explain);
        runClient(List.of("bin/sql-client", "--input", dir.toString(), "--jdbc-url", TestPostgres.jdbcUrl(),
                "--jdbc-user", "postgres", "--schema", "sqlx", "-f", explainScript.toString()), home, tmp);

        List<List<String>> plans = physicalPlans(Files.readString(home.resolve("client.out")));
        assertThat(plans).as("one optimized physical plan per script").hasSize(scripts.size());
        for (int i = 0; i < plans.size(); i++) {
            List<String> plan = plans.get(i);
            String name = scripts.get(i).getFileName().toString();
            assertThat(String.join("\n", plan)).as(name + ": retracting accumulators").doesNotContain("_RETRACT");
            int windows = 0;
            for (int n = 0; n < plan.size(); n++) {
                if (!nodeName(plan.get(n)).contains("Window")) {
                    continue;
                }
                windows++;
                int depth = depth(plan.get(n));
                for (int below = n; below < plan.size() && (below == n || depth(plan.get(below)) > depth); below++) {
                    assertThat(plan.get(below)).as(name + ": under " + nodeName(plan.get(n)))
                            .contains("changelogMode=[I]");
                }
            }
            assertThat(windows).as(name + ": window operators in the plan").isPositive();
        }
    }

    /** The "== Optimized Physical Plan ==" sections of EXPLAIN output, one list of plan-node lines each. */
    static List<List<String>> physicalPlans(String out) {
        List<List<String>> plans = new ArrayList<>();
        List<String> current = null;
        for (String line : out.split("\n")) {
            if (line.contains("== Optimized Physical Plan ==")) {
                current = new ArrayList<>();
                plans.add(current);
            } else if (line.contains("== Optimized Execution Plan ==")) {
                current = null;
            } else if (current != null && line.contains("changelogMode=")) {
                current.add(line);
            }
        }
        return plans;
    }

    private static int depth(String planLine) {
        int i = 0;
        while (i < planLine.length() && " |+-".indexOf(planLine.charAt(i)) >= 0) {
            i++;
        }
        return i;
    }

    private static String nodeName(String planLine) {
        String rest = planLine.substring(depth(planLine));
        int paren = rest.indexOf('(');
        return paren < 0 ? rest : rest.substring(0, paren);
    }

    /** Runs bin/sql-client; it must end, exit 0, report no error and leave the password nowhere. */
    private static void runClient(List<String> command, Path home, Path tmp) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(home.resolve("client.out").toFile());
        pb.environment().put("PULSE_SQL_HOME", home.toString());
        pb.environment().put("PULSE_JDBC_PASSWORD", SECRET);
        pb.environment().put("TMPDIR", tmp.toString());
        long clientStart = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(6, TimeUnit.MINUTES);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(home.resolve("client.out"), StandardCharsets.UTF_8);
        System.out.printf("sql-client: %.1f s wall%n", (System.nanoTime() - clientStart) / 1e9);
        assertThat(done).as("sql-client finished; output:%n%s", out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).as(out).doesNotContain("[ERROR]");
        assertNoSecretIn(home);
        assertNoSecretIn(tmp);
        try (var left = Files.walk(tmp)) {
            System.out.println("left in TMPDIR: " + left.filter(f -> !f.equals(tmp)).toList());
        }
    }

    /** The password appears in no file under {@code folder} (client output, log, history, leftovers). */
    static void assertNoSecretIn(Path folder) throws IOException {
        try (var files = Files.walk(folder)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String text = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                assertThat(text.contains(SECRET)).as("the password appears in " + f).isFalse();
            }
        }
    }
}
