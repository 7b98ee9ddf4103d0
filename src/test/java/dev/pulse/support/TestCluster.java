package dev.pulse.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.SchemaInstaller;

import org.postgresql.PGConnection;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The cluster of {@code bin/local-cluster}, started once per JVM for the cluster tests, on free ports and with its home
 * under {@code target/cluster-it}; stopped (by {@code bin/local-cluster stop}) at exit. Runs the repository's own
 * scripts ({@code bin/local-cluster}, {@code bin/flink}, {@code bin/pulse-produce}) as a user would.
 */
public final class TestCluster {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** PULSE_JDBC_PASSWORD of every command (the cluster's PostgreSQL trusts local logins, so any value works). */
    public static final String SECRET = "it-secret-5f0c9e";
    private static TestCluster instance;

    public final Path repo = Path.of("").toAbsolutePath();
    public final Path home = repo.resolve("target/cluster-it");
    private final Map<String, String> env = new HashMap<>();
    private final Map<String, String> endpoints = new HashMap<>();

    /** A finished command: its exit status and everything it printed. */
    public record Result(int exit, String output) {}

    private TestCluster() {}

    public static synchronized TestCluster get() {
        if (instance == null) {
            TestCluster c = new TestCluster();
            try {
                c.start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            instance = c;
        }
        return instance;
    }

    private void start() throws IOException {
        env.put("PULSE_CLUSTER_HOME", home.toString());
        env.put("PULSE_JDBC_PASSWORD", SECRET);
        if (Files.exists(home.resolve("run"))) {
            script("local-cluster", "stop"); // a previous run's, if any
        }
        deleteTree(home);
        for (String port : List.of("PULSE_KAFKA_PORT", "PULSE_KAFKA_CONTROLLER_PORT", "PULSE_FLINK_PORT",
                "PULSE_FLINK_RPC_PORT", "PULSE_POSTGRES_PORT")) {
            env.put(port, Integer.toString(TestKafka.freePort()));
        }
        Result started = script("local-cluster", "start");
        if (started.exit() != 0) {
            throw new IllegalStateException("bin/local-cluster start failed (" + started.exit() + "):\n" + started.output());
        }
        for (String line : started.output().split("\\R")) {
            int colon = line.indexOf(": ");
            if (colon > 0) {
                endpoints.put(line.substring(0, colon), line.substring(colon + 2));
            }
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> script("local-cluster", "stop"), "test-cluster-stop"));
    }

    /** A line {@code bin/local-cluster start} printed: {@code kafka}, {@code flink}, {@code postgres}, {@code psql}. */
    public String endpoint(String name) {
        return endpoints.get(name);
    }

    public String kafka() {
        return endpoint("kafka");
    }

    /** The JDBC URL of the cluster's PostgreSQL (the {@code postgres:} line without its {@code user ...}). */
    public String jdbcUrl() {
        return endpoint("postgres").split(" ")[0];
    }

    /** Runs {@code bin/NAME args} with the cluster's environment; at most 5 minutes. */
    public Result script(String name, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(repo.resolve("bin/" + name).toString());
        cmd.addAll(List.of(args));
        try {
            Path output = Files.createTempFile("pulse-script", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile());
            pb.environment().putAll(env);
            Process p = pb.start();
            if (!p.waitFor(5, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException("bin/" + name + " " + String.join(" ", args) + " did not end in 5 min");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.delete(output);
            return new Result(p.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** GET on the Flink REST API; null when it does not answer. */
    public JsonNode rest(String path) {
        try {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(endpoint("flink") + path))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? JSON.readTree(r.body()) : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls the job's REST document until {@code condition} holds; fails after {@code timeout}. */
    public JsonNode awaitJob(String jobId, String what, Duration timeout, Predicate<JsonNode> condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            JsonNode job = rest("/jobs/" + jobId);
            JsonNode checkpoints = rest("/jobs/" + jobId + "/checkpoints");
            if (job != null && checkpoints != null) {
                last = JSON.createObjectNode().<com.fasterxml.jackson.databind.node.ObjectNode>set("job", job)
                        .set("checkpoints", checkpoints);
                if (condition.test(last)) {
                    return last;
                }
                String state = job.path("state").asText();
                if (state.equals("FAILED") || state.equals("CANCELED")) {
                    throw new AssertionError("job " + jobId + " is " + state + " while waiting for " + what + ": "
                            + rest("/jobs/" + jobId + "/exceptions"));
                }
            }
            sleep(250);
        }
        throw new AssertionError("job " + jobId + ": no " + what + " within " + timeout.toSeconds() + " s; last: " + last);
    }

    public static long completedCheckpoints(JsonNode status) {
        return status.path("checkpoints").path("counts").path("completed").asLong();
    }

    public static long restores(JsonNode status) {
        return status.path("checkpoints").path("counts").path("restored").asLong();
    }

    public static String state(JsonNode status) {
        return status.path("job").path("state").asText();
    }

    /** Every task of the job is RUNNING (or already FINISHED): the job really runs, not merely scheduled. */
    public static boolean allTasksRunning(JsonNode status) {
        JsonNode tasks = status.path("job").path("status-counts");
        int other = 0;
        for (var it = tasks.fields(); it.hasNext(); ) {
            var e = it.next();
            if (!e.getKey().equals("RUNNING") && !e.getKey().equals("FINISHED")) {
                other += e.getValue().asInt();
            }
        }
        return state(status).equals("RUNNING") && other == 0;
    }

    /** The pid that bin/local-cluster recorded for a part ({@code taskmanager}, {@code kafka}, ...). */
    public long pid(String part) throws IOException {
        return Long.parseLong(Files.readString(home.resolve("run/" + part + ".pid")).trim());
    }

    /**
     * Copies the job's tables of {@code schema} from the cluster's PostgreSQL into the test PostgreSQL (same schema,
     * created there by the job's own installer), where the oracle's raw events are.
     */
    public void copySchemaToTestPostgres(String schema) throws Exception {
        SchemaInstaller.install(new JdbcSettings(TestPostgres.jdbcUrl(), "postgres", null, schema));
        try (Connection from = DriverManager.getConnection(jdbcUrl(), "pulse", null);
             Connection to = TestPostgres.connect()) {
            List<String> tables = new ArrayList<>();
            try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = '" + schema
                            + "' AND table_type = 'BASE TABLE' ORDER BY 1")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                List<String> columns = new ArrayList<>();
                try (Statement st = from.createStatement(); ResultSet rs = st.executeQuery(
                        "SELECT column_name FROM information_schema.columns WHERE table_schema = '" + schema
                                + "' AND table_name = '" + table + "' AND is_generated = 'NEVER' ORDER BY ordinal_position")) {
                    while (rs.next()) {
                        columns.add('"' + rs.getString(1) + '"');
                    }
                }
                String cols = String.join(", ", columns);
                ByteArrayOutputStream data = new ByteArrayOutputStream();
                from.unwrap(PGConnection.class).getCopyAPI()
                        .copyOut("COPY (SELECT " + cols + " FROM " + schema + "." + table + ") TO STDOUT", data);
                try (Statement st = to.createStatement()) {
                    st.execute("TRUNCATE " + schema + "." + table);
                }
                to.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY " + schema + "." + table + " (" + cols
                        + ") FROM STDIN", new ByteArrayInputStream(data.toByteArray()));
            }
        }
    }

    public static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
