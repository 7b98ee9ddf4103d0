package dev.pulse;

import com.fasterxml.jackson.databind.JsonNode;

import dev.pulse.config.PulseOptions;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.Oracle;
import dev.pulse.support.TestCluster;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.jobgraph.JobGraph;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.shaded.guava32.com.google.common.hash.Hashing;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.apache.flink.util.StringUtils;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static dev.pulse.support.TestCluster.allTasksRunning;
import static dev.pulse.support.TestCluster.completedCheckpoints;
import static dev.pulse.support.TestCluster.restores;
import static dev.pulse.support.TestCluster.state;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The production path on real processes: {@code bin/local-cluster} (Kafka, a standalone Flink JobManager and
 * TaskManager, PostgreSQL), a seeded dataset written by {@code bin/pulse-produce} into topics of three partitions, the
 * jar submitted by {@code bin/flink run -d} (Flink's CliFrontend), read with {@code --kafka-stop latest}. Failures are
 * injected mid-stream after a completed checkpoint; every table must still equal plain SQL over the same lines, row by
 * row, with each malformed line one dead letter.
 */
class ClusterRecoveryIT {
    private static final Map<String, String> PLACEHOLDERS = Map.of("GAP", "5 minutes", "TOP_N", "10");
    private static final Pattern JOB_ID = Pattern.compile("JobID ([0-9a-f]{32})");
    private static final Pattern SAVEPOINT = Pattern.compile("Savepoint completed\\. Path: (\\S+)");
    private static final Duration WAIT = Duration.ofMinutes(3);
    private static final String NOT_SENT = "pulse-produce: not sent, over 1 MiB (Kafka's default record limit): ";

    private final TestCluster cluster = TestCluster.get();

    @AfterAll
    static void stopLeavesNoProcessBehind() throws Exception {
        TestCluster cluster = TestCluster.get();
        TestCluster.Result stopped = cluster.script("local-cluster", "stop");
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        assertThat(cluster.script("local-cluster", "status").exit()).isEqualTo(3);
        List<String> left = new ArrayList<>();
        try (var procs = Files.list(Path.of("/proc"))) {
            for (Path p : (Iterable<Path>) procs::iterator) {
                if (p.getFileName().toString().matches("\\d+")) {
                    try {
                        String cmdline = new String(Files.readAllBytes(p.resolve("cmdline")), StandardCharsets.UTF_8);
                        if (cmdline.contains(cluster.home.toString())) {
                            left.add(p.getFileName() + ": " + cmdline.replace('\0', ' '));
                        }
                    } catch (java.io.IOException gone) {
                        // exited meanwhile
                    }
                }
            }
        }
        assertThat(left).as("processes of the cluster after stop").isEmpty();
    }

    @Test
    void aTaskManagerKilledMidStreamThenAStopWithSavepointAndResumeLeaveEveryTableExact(@TempDir Path dir) throws Exception {
        // Unbounded, as jobs run in production: a stop-with-savepoint must not race the end of a bounded input.
        String[] job = prepare(dir, "tm", 43, "never");
        // One partition that stays quiet: added after the data, it never receives a record; the live job reads it
        // throughout (and its offsets are never committed), and the drained run still ends exact.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka()))) {
            admin.createPartitions(Map.of("tm-payments", NewPartitions.increaseTo(4))).all().get();
        }

        String first = submit(job);
        assertVerticesKeepTheirNamesAndUids(first, job);
        assertNoSecretShown(first);
        cluster.awaitJob(first, "completed checkpoint", WAIT, s -> completedCheckpoints(s) >= 1);

        long killedAt = System.nanoTime();
        new ProcessBuilder("kill", "-9", Long.toString(cluster.pid("taskmanager"))).start().waitFor();
        TestCluster.Result status = cluster.script("local-cluster", "status");
        assertThat(status.exit()).as(status.output()).isEqualTo(3);
        assertThat(status.output()).contains("taskmanager: stopped");
        TestCluster.Result restarted = cluster.script("local-cluster", "start");
        assertThat(restarted.exit()).as(restarted.output()).isZero();
        assertThat(restarted.output()).contains("started: taskmanager\n");
        JsonNode restored = cluster.awaitJob(first, "restore from a checkpoint", WAIT,
                s -> restores(s) >= 1 && allTasksRunning(s));
        System.out.printf("ClusterRecoveryIT: TaskManager kill -9 to every task running again from checkpoint %s: %.1f s%n",
                restored.path("checkpoints").path("latest").path("restored").path("id").asText(),
                (System.nanoTime() - killedAt) / 1e9);
        long before = completedCheckpoints(restored);
        JsonNode checkpointed = cluster.awaitJob(first, "checkpoint after the restore", WAIT,
                s -> completedCheckpoints(s) > before);
        JsonNode latest = checkpointed.path("checkpoints").path("latest").path("completed");
        System.out.printf("ClusterRecoveryIT: checkpoint %s: %d bytes, %d ms end to end%n", latest.path("id").asText(),
                latest.path("checkpointed_size").asLong(), latest.path("end_to_end_duration").asLong());

        String savepoint = stop(first, false);
        List<String> resume = new ArrayList<>(List.of("-s", savepoint));
        resume.addAll(List.of(job));
        String second = submit(resume.toArray(String[]::new));
        JsonNode resumed = cluster.awaitJob(second, "restore from the savepoint", WAIT, s -> restores(s) >= 1);
        assertThat(resumed.path("checkpoints").path("latest").path("restored").path("is_savepoint").asBoolean())
                .as("resumed from the savepoint").isTrue();

        awaitConsumed("cluster-tm", "tm");
        stop(second, true); // --drain: the end of time closes every window, as the end of a bounded input does
        assertTablesExact("cluster_tm");
    }

    @Test
    void postgresDownForAMinuteAndAKafkaBrokerRestartMidStreamLeaveEveryTableExact(@TempDir Path dir) throws Exception {
        // A live job (no end offsets): it is still running whatever its speed when PostgreSQL goes down. A bounded
        // replay of this dataset now ends within seconds, before the outage it is meant to live through.
        String[] job = prepare(dir, "outage", 44, "never");
        String id = submit(job);
        cluster.awaitJob(id, "completed checkpoint", WAIT, s -> completedCheckpoints(s) >= 1);

        TestCluster.Result down = cluster.script("local-cluster", "stop", "postgres");
        assertThat(down.exit()).as(down.output()).isZero();
        assertThat(down.output()).contains("stopped: postgres");
        long downAt = System.nanoTime();
        TestCluster.sleep(60_000);
        TestCluster.Result up = cluster.script("local-cluster", "start");
        assertThat(up.output()).as(up.output()).contains("started: postgres\n");
        JsonNode recovered = cluster.awaitJob(id, "restore after the outage", WAIT,
                s -> restores(s) >= 1 && allTasksRunning(s));
        System.out.printf("ClusterRecoveryIT: PostgreSQL down 60 s; job running again %.1f s after it went down%n",
                (System.nanoTime() - downAt) / 1e9);
        long before = completedCheckpoints(recovered);
        cluster.awaitJob(id, "checkpoint after the outage", WAIT, s -> completedCheckpoints(s) > before);

        TestCluster.Result brokerDown = cluster.script("local-cluster", "stop", "kafka");
        assertThat(brokerDown.output()).as(brokerDown.output()).contains("stopped: kafka");
        TestCluster.Result brokerUp = cluster.script("local-cluster", "start", "kafka");
        assertThat(brokerUp.output()).as(brokerUp.output()).contains("started: kafka\n");

        awaitConsumed("cluster-outage", "outage");
        assertThat(cluster.rest("/jobs/" + id + "/exceptions").path("exceptionHistory").path("entries").size())
                .as("the outage failed the job at least once").isPositive();
        stop(id, true); // --drain: the end of time closes every window, as the end of a bounded input does
        assertTablesExact("cluster_outage");
    }

    /** Writes a seeded dataset, loads it as the oracle's raw events, produces it into fresh topics; the job's options. */
    private String[] prepare(Path dir, String name, long seed, String kafkaStop) throws Exception {
        long[] lines = DatasetWriter.write(dir, new EventGenerator(seed, 70,
                Instant.parse("2025-10-03T23:55:00Z").toEpochMilli(), EventGenerator.Faults.standard()), Duration.ofMinutes(8));
        Oracle.load(dir);
        String orders = name + "-orders";
        String behavior = name + "-behavior";
        String payments = name + "-payments";
        long t0 = System.nanoTime();
        TestCluster.Result produced = cluster.script("pulse-produce", "--input", dir.toString(), "--kafka-bootstrap",
                cluster.kafka(), "--partitions", "3", "--topic-orders", orders, "--topic-behavior", behavior,
                "--topic-payments", payments);
        assertThat(produced.exit()).as(produced.output()).isZero();
        // A line over Kafka's record limit is not sent (the producer lists it): it never reaches the job.
        for (String line : produced.output().split("\\R")) {
            if (line.startsWith(NOT_SENT)) {
                TestPostgres.execute("DELETE FROM oracle.raw_events WHERE source = '"
                        + line.substring(NOT_SENT.length()).replace("'", "''") + "'");
            }
        }
        System.out.printf("ClusterRecoveryIT: produced %d records in %.1f s%n", lines[0] + lines[1] + lines[2],
                (System.nanoTime() - t0) / 1e9);
        // Checkpoints every 2 s and restarts at most 10 s apart: the same recovery as production settings, sooner.
        return new String[] {"-Dexecution.checkpointing.interval=2s",
                "-Drestart-strategy.exponential-delay.max-backoff=10s", cluster.repo.resolve("target/pulse.jar").toString(),
                "--source", "kafka", "--kafka-bootstrap", cluster.kafka(), "--topic-orders", orders,
                "--topic-behavior", behavior, "--topic-payments", payments, "--kafka-group", "cluster-" + name,
                "--kafka-start", "earliest", "--kafka-stop", kafkaStop, "--parallelism", "2", "--session-gap", "5min",
                // No split goes idle during a run: Flink 2.0 drops the final watermark of a source that is idle when
                // `stop --drain` comes (FLINK-40499), which would leave that stream's windows open (README, Known limits).
                "--idle-timeout", "10min",
                "--jdbc-url", cluster.jdbcUrl(), "--jdbc-user", "pulse", "--schema", "cluster_" + name};
    }

    /** {@code bin/flink stop [--drain] --savepointPath ...}: the savepoint's path, once the job has finished. */
    private String stop(String jobId, boolean drain) {
        List<String> cmd = new ArrayList<>(List.of("stop"));
        if (drain) {
            cmd.add("--drain");
        }
        cmd.addAll(List.of("--savepointPath", cluster.home.resolve("savepoints-it").toUri().toString(), jobId));
        TestCluster.Result stopped = cluster.script("flink", cmd.toArray(String[]::new));
        assertThat(stopped.exit()).as(stopped.output()).isZero();
        Matcher savepoint = SAVEPOINT.matcher(stopped.output());
        assertThat(savepoint.find()).as(stopped.output()).isTrue();
        cluster.awaitJob(jobId, "end after the stop", WAIT, s -> state(s).equals("FINISHED"));
        return savepoint.group(1);
    }

    /** Until the group's offsets, committed at checkpoints, reach the end of every partition of the topics. */
    private void awaitConsumed(String group, String prefix) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.kafka()))) {
            Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
            for (String topic : List.of(prefix + "-orders", prefix + "-behavior", prefix + "-payments")) {
                int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
                for (int p = 0; p < partitions; p++) {
                    ends.put(new TopicPartition(topic, p), OffsetSpec.latest());
                }
            }
            Map<TopicPartition, Long> end = new HashMap<>();
            admin.listOffsets(ends).all().get().forEach((tp, info) -> end.put(tp, info.offset()));
            long deadline = System.nanoTime() + WAIT.toNanos();
            Map<TopicPartition, Long> committed = new HashMap<>();
            while (System.nanoTime() < deadline) {
                committed.clear();
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                        .forEach((tp, om) -> {
                            if (om != null) {
                                committed.put(tp, om.offset());
                            }
                        });
                // An empty partition has nothing to commit; every other one must be read to its end.
                if (end.entrySet().stream().allMatch(e -> committed.getOrDefault(e.getKey(), 0L) >= e.getValue())) {
                    return;
                }
                TestCluster.sleep(500);
            }
            throw new AssertionError("group " + group + " committed " + committed + ", end offsets " + end);
        }
    }

    @AfterEach
    void cancelJobsStillRunning() {
        JsonNode jobs = cluster.rest("/jobs/overview");
        if (jobs == null) {
            return;
        }
        for (JsonNode j : jobs.path("jobs")) {
            if (List.of("RUNNING", "RESTARTING", "CREATED", "INITIALIZING").contains(j.path("state").asText())) {
                cluster.script("flink", "cancel", j.path("jid").asText());
            }
        }
    }

    /** The password (from PULSE_JDBC_PASSWORD) appears in no REST document of the job or cluster and in no log. */
    private void assertNoSecretShown(String jobId) throws Exception {
        for (String path : List.of("/jobs/" + jobId, "/jobs/" + jobId + "/config", "/jobs/" + jobId + "/plan",
                "/jobmanager/config", "/jobs/" + jobId + "/jobmanager/config")) {
            assertThat(String.valueOf(cluster.rest(path))).as(path).doesNotContain(TestCluster.SECRET);
        }
        try (var logs = Files.list(cluster.home.resolve("log"))) {
            for (Path log : (Iterable<Path>) logs::iterator) {
                assertThat(Files.readString(log, StandardCharsets.ISO_8859_1)).as(log.toString())
                        .doesNotContain(TestCluster.SECRET);
            }
        }
    }

    /** {@code bin/flink run -d ...}: the job id it printed. */
    private String submit(String[] args) {
        List<String> cmd = new ArrayList<>(List.of("run", "-d"));
        cmd.addAll(List.of(args));
        TestCluster.Result run = cluster.script("flink", cmd.toArray(String[]::new));
        assertThat(run.exit()).as(run.output()).isZero();
        assertThat(run.output()).doesNotContain(TestCluster.SECRET);
        Matcher m = JOB_ID.matcher(run.output());
        assertThat(m.find()).as(run.output()).isTrue();
        return m.group(1);
    }

    private void assertTablesExact(String schema) throws Exception {
        cluster.copySchemaToTestPostgres(schema);
        Oracle.assertEveryTableExact(schema, PLACEHOLDERS);
        assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + ".late_events")).isZero();
    }

    /**
     * The web UI's job graph (REST) is the one the program defines: the same vertices and names, and each vertex id is
     * the hash of its head operator's explicit uid, which is what lets a savepoint find its state again.
     */
    private void assertVerticesKeepTheirNamesAndUids(String jobId, String[] job) throws Exception {
        int jar = List.of(job).indexOf(cluster.repo.resolve("target/pulse.jar").toString());
        String[] options = java.util.Arrays.copyOfRange(job, jar + 1, job.length);
        PulseOptions parsed = PulseOptions.parse(options, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(PulseJob.requiredConfiguration());
        env.setParallelism(2);
        PulseJob.defineWorkflow(env, Main.sources(parsed),
                Main.sinks(new JdbcSettings(parsed.jdbcUrl(), parsed.jdbcUser(), null, parsed.schema())), parsed);
        StreamGraph graph = env.getStreamGraph();
        Set<String> uidHashes = new TreeSet<>();
        for (StreamNode node : graph.getStreamNodes()) {
            assertThat(node.getTransformationUID()).as(node.getOperatorName()).isNotBlank();
            uidHashes.add(StringUtils.byteToHexString(Hashing.murmur3_128(0).newHasher()
                    .putString(node.getTransformationUID(), StandardCharsets.UTF_8).hash().asBytes()));
        }
        JobGraph expected = graph.getJobGraph();
        Set<String> expectedVertices = new TreeSet<>();
        for (JobVertex v : expected.getVertices()) {
            expectedVertices.add(v.getID() + " " + v.getName());
        }
        JsonNode rest = cluster.rest("/jobs/" + jobId);
        Set<String> actualVertices = new TreeSet<>();
        for (JsonNode v : rest.path("vertices")) {
            actualVertices.add(v.path("id").asText() + " " + v.path("name").asText());
            assertThat(uidHashes).as("vertex " + v.path("name").asText() + " id from an explicit uid")
                    .contains(v.path("id").asText());
        }
        assertThat(actualVertices).isEqualTo(expectedVertices).hasSizeGreaterThan(10);
    }
}
