package dev.pulse.local;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/local-cluster start|stop|status [component...]}: a Kafka broker (KRaft), a standalone Flink session
 * cluster (one JobManager, one TaskManager with two slots) and a PostgreSQL server on this machine, each a separate
 * process that outlives this command, all data under one folder ({@code PULSE_CLUSTER_HOME}).
 *
 * <p>{@code start} starts only what does not run, waits until each part answers and prints the lines scripts read:
 * {@code kafka: HOST:PORT}, {@code flink: http://HOST:PORT}, {@code postgres: jdbc:postgresql://HOST:PORT/DB user USER}
 * and {@code psql: ...}. {@code stop} stops what runs (TERM, then KILL after a grace period); {@code status} says what
 * runs and exits 3 when a part is down. Ports are chosen at the first start (from {@code PULSE_KAFKA_PORT},
 * {@code PULSE_FLINK_PORT}, ...) and kept in {@code ports.properties}, so later starts bring parts back where clients
 * expect them.
 */
public final class LocalCluster {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final String HOST = "127.0.0.1";

    /** The parts, in start order; {@code stop} goes in reverse. */
    enum Part {
        POSTGRES("postgres", null),
        KAFKA("kafka", "kafka.Kafka"),
        JOBMANAGER("jobmanager", "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint"),
        TASKMANAGER("taskmanager", "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");

        final String label;
        final String mainClass;

        Part(String label, String mainClass) {
            this.label = label;
            this.mainClass = mainClass;
        }

        static Part of(String label) {
            for (Part p : values()) {
                if (p.label.equals(label)) {
                    return p;
                }
            }
            if (label.equals("flink")) {
                return null; // both Flink processes, expanded by the caller
            }
            throw new IllegalArgumentException(label);
        }
    }

    /** Ports fixed at the first start. */
    record Ports(int kafka, int kafkaController, int flinkRest, int flinkRpc, int postgres) {
        static final Map<String, Integer> DEFAULTS = defaults();

        private static Map<String, Integer> defaults() {
            Map<String, Integer> m = new LinkedHashMap<>();
            m.put("PULSE_KAFKA_PORT", 9092);
            m.put("PULSE_KAFKA_CONTROLLER_PORT", 9093);
            m.put("PULSE_FLINK_PORT", 8081);
            m.put("PULSE_FLINK_RPC_PORT", 6123);
            m.put("PULSE_POSTGRES_PORT", 54330);
            return m;
        }

        static Ports load(Path file, Map<String, String> env) throws IOException, ClusterException {
            Properties stored = new Properties();
            if (Files.exists(file)) {
                try (var in = Files.newBufferedReader(file)) {
                    stored.load(in);
                }
            }
            Map<String, Integer> v = new LinkedHashMap<>();
            for (Map.Entry<String, Integer> d : DEFAULTS.entrySet()) {
                String raw = stored.getProperty(d.getKey(), env.getOrDefault(d.getKey(), d.getValue().toString()));
                try {
                    int port = Integer.parseInt(raw.trim());
                    if (port < 1 || port > 65535) {
                        throw new NumberFormatException();
                    }
                    v.put(d.getKey(), port);
                } catch (NumberFormatException e) {
                    throw new ClusterException(2, d.getKey() + ": not a port: '" + raw + "'; give 1..65535, e.g. "
                            + d.getKey() + "=" + d.getValue());
                }
                stored.setProperty(d.getKey(), Integer.toString(v.get(d.getKey())));
            }
            if (!Files.exists(file)) {
                try (var out = Files.newBufferedWriter(file)) {
                    stored.store(out, "bin/local-cluster: ports chosen at the first start");
                }
            }
            return new Ports(v.get("PULSE_KAFKA_PORT"), v.get("PULSE_KAFKA_CONTROLLER_PORT"), v.get("PULSE_FLINK_PORT"),
                    v.get("PULSE_FLINK_RPC_PORT"), v.get("PULSE_POSTGRES_PORT"));
        }
    }

    /** A failure with its exit status and one line for the terminal. */
    static final class ClusterException extends Exception {
        final int exitCode;

        ClusterException(int exitCode, String message) {
            super(message);
            this.exitCode = exitCode;
        }
    }

    private final Path home;
    private final Path repo;
    private final Ports ports;
    private final PrintStream out;

    LocalCluster(Path home, Path repo, Ports ports, PrintStream out) {
        this.home = home;
        this.repo = repo;
        this.ports = ports;
        this.out = out;
    }

    public static void main(String[] args) {
        int code = run(args, System.getenv(), System.out, System.err);
        // Not System.exit(0) on success alone: the embedded PostgreSQL must outlive this JVM, and it does (no hook).
        System.exit(code);
    }

    static int run(String[] args, Map<String, String> env, PrintStream out, PrintStream err) {
        if (args.length == 0 || !List.of("start", "stop", "status").contains(args[0])) {
            err.println("usage: bin/local-cluster start|stop|status [postgres|kafka|flink|jobmanager|taskmanager ...]");
            return 2;
        }
        try {
            Set<Part> parts = parts(args);
            Path repo = Path.of(System.getProperty("pulse.repo", ".")).toAbsolutePath().normalize();
            Path home = Path.of(env.getOrDefault("PULSE_CLUSTER_HOME", repo.resolve(".pulse-cluster").toString()))
                    .toAbsolutePath().normalize();
            for (String dir : List.of("conf", "log", "run", "tmp", "kafka", "postgres", "flink")) {
                Files.createDirectories(home.resolve(dir));
            }
            LocalCluster cluster = new LocalCluster(home, repo, Ports.load(home.resolve("ports.properties"), env), out);
            switch (args[0]) {
                case "start": return cluster.start(parts);
                case "stop": return cluster.stop(parts);
                default: return cluster.status(parts);
            }
        } catch (IllegalArgumentException e) {
            err.println("local-cluster: unknown part '" + e.getMessage()
                    + "'; give postgres, kafka, flink, jobmanager or taskmanager");
            return 2;
        } catch (ClusterException e) {
            err.println("local-cluster: " + e.getMessage());
            return e.exitCode;
        } catch (IOException e) {
            err.println("local-cluster: " + e.getMessage());
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("local-cluster: interrupted");
            return 1;
        }
    }

    private static Set<Part> parts(String[] args) {
        Set<Part> parts = EnumSet.noneOf(Part.class);
        for (int i = 1; i < args.length; i++) {
            Part p = Part.of(args[i]);
            if (p == null) {
                parts.add(Part.JOBMANAGER);
                parts.add(Part.TASKMANAGER);
            } else {
                parts.add(p);
            }
        }
        return parts.isEmpty() ? EnumSet.allOf(Part.class) : parts;
    }

    // ---- start ------------------------------------------------------------------------------------------------------

    int start(Set<Part> parts) throws IOException, InterruptedException, ClusterException {
        writeFlinkConfig();
        List<Part> started = new ArrayList<>();
        Map<Part, Process> launched = new LinkedHashMap<>();
        String taskManagerId = null;
        for (Part part : parts) {
            if (running(part).isPresent()) {
                continue;
            }
            requireFreePort(part);
            switch (part) {
                case POSTGRES:
                    startPostgres();
                    break;
                case KAFKA:
                    launched.put(part, launch(part, kafkaCommand()));
                    break;
                case JOBMANAGER:
                    launched.put(part, launch(part, flinkCommand(part, List.of())));
                    break;
                default:
                    // A fresh id per start: readiness is this TaskManager registered, not a dead one still listed.
                    taskManagerId = "pulse-tm-" + System.currentTimeMillis();
                    launched.put(part, launch(part, flinkCommand(part, List.of("-D", "taskmanager.resource-id=" + taskManagerId))));
                    break;
            }
            started.add(part);
        }
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        for (Map.Entry<Part, Process> e : launched.entrySet()) {
            awaitReady(e.getKey(), e.getValue(), taskManagerId, deadline);
        }
        if (!started.isEmpty()) {
            out.println("started: " + String.join(", ", started.stream().map(p -> p.label).toList()));
        }
        printEndpoints();
        return 0;
    }

    void printEndpoints() {
        out.println("kafka: " + HOST + ":" + ports.kafka());
        out.println("flink: http://" + HOST + ":" + ports.flinkRest());
        out.println("postgres: jdbc:postgresql://" + HOST + ":" + ports.postgres() + "/" + LocalPostgres.DATABASE
                + " user " + LocalPostgres.ROLE);
        out.println("psql: psql -h " + HOST + " -p " + ports.postgres() + " -U " + LocalPostgres.ROLE + " "
                + LocalPostgres.DATABASE);
    }

    private void requireFreePort(Part part) throws ClusterException {
        Map<String, Integer> needed = new LinkedHashMap<>();
        switch (part) {
            case POSTGRES: needed.put("PULSE_POSTGRES_PORT", ports.postgres()); break;
            case KAFKA:
                needed.put("PULSE_KAFKA_PORT", ports.kafka());
                needed.put("PULSE_KAFKA_CONTROLLER_PORT", ports.kafkaController());
                break;
            case JOBMANAGER:
                needed.put("PULSE_FLINK_PORT", ports.flinkRest());
                needed.put("PULSE_FLINK_RPC_PORT", ports.flinkRpc());
                break;
            default: return;
        }
        for (Map.Entry<String, Integer> e : needed.entrySet()) {
            try (ServerSocket s = new ServerSocket(e.getValue())) {
                s.setReuseAddress(true);
            } catch (IOException busy) {
                throw new ClusterException(2, part.label + ": port " + e.getValue() + " is in use by another program; "
                        + "stop it, or give another port at the first start (" + e.getKey() + "=..., with a new "
                        + "PULSE_CLUSTER_HOME, or edit " + home.resolve("ports.properties") + ")");
            }
        }
    }

    /** conf/config.yaml: the repository's flink-conf/config.yaml with this cluster's ports and folders. */
    void writeFlinkConfig() throws IOException {
        Map<String, String> local = new LinkedHashMap<>();
        local.put("jobmanager.rpc.address", HOST);
        local.put("jobmanager.bind-host", HOST);
        local.put("taskmanager.bind-host", HOST);
        local.put("taskmanager.host", HOST);
        local.put("rest.address", HOST);
        local.put("rest.bind-address", HOST);
        local.put("jobmanager.rpc.port", Integer.toString(ports.flinkRpc()));
        local.put("rest.port", Integer.toString(ports.flinkRest()));
        local.put("execution.checkpointing.dir", home.resolve("flink/checkpoints").toUri().toString());
        local.put("execution.checkpointing.savepoint-dir", home.resolve("flink/savepoints").toUri().toString());
        local.put("io.tmp.dirs", home.resolve("tmp").toString());
        local.put("web.tmpdir", home.resolve("tmp").toString());
        local.put("blob.storage.directory", home.resolve("tmp").toString());
        List<String> lines = new ArrayList<>();
        for (String line : Files.readAllLines(repo.resolve("flink-conf/config.yaml"), StandardCharsets.UTF_8)) {
            String key = line.contains(":") && !line.startsWith("#") ? line.substring(0, line.indexOf(':')).trim() : null;
            if (key == null || !local.containsKey(key)) {
                lines.add(line);
            }
        }
        lines.add("");
        lines.add("# --- bin/local-cluster: this cluster's addresses, ports and folders ---");
        local.forEach((k, v) -> lines.add(k + ": " + v));
        Files.write(home.resolve("conf/config.yaml"), lines, StandardCharsets.UTF_8);
    }

    private void startPostgres() throws ClusterException {
        try {
            LocalPostgres.startDetached(home.resolve("postgres"), ports.postgres(), home.resolve("log/postgres.log"));
        } catch (Exception e) {
            throw new ClusterException(1, "postgres did not start: " + LocalPostgres.oneLine(e) + "; see "
                    + home.resolve("log/postgres.log"));
        }
    }

    private List<String> kafkaCommand() throws IOException, InterruptedException, ClusterException {
        Path dir = home.resolve("kafka");
        Path config = dir.resolve("server.properties");
        Files.writeString(config, String.join("\n", kafkaServerProperties(HOST, ports.kafka(), ports.kafkaController(),
                dir.resolve("data"))) + "\n", StandardCharsets.UTF_8);
        if (!Files.exists(dir.resolve("data/meta.properties"))) {
            List<String> format = javaCommand(List.of("-Xmx256m"), kafkaClasspath(), "kafka.tools.StorageTool",
                    home.resolve("log/kafka-format.log"));
            format.addAll(List.of("format", "-t", UUID.randomUUID().toString(), "-c", config.toString()));
            Process p = new ProcessBuilder(format).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(home.resolve("log/kafka-format.log").toFile())).start();
            if (p.waitFor() != 0) {
                throw new ClusterException(1, "kafka: formatting its storage failed; see " + home.resolve("log/kafka-format.log"));
            }
        }
        List<String> cmd = javaCommand(List.of("-Xmx512m", "-XX:+UseSerialGC"), kafkaClasspath(), Part.KAFKA.mainClass,
                home.resolve("log/kafka.log"));
        cmd.add(config.toString());
        return cmd;
    }

    /**
     * The broker's server.properties: one KRaft process that is broker and controller. docker-compose.yml sets the
     * same (its kafka service's environment; DockerComposeConfigIT compares them), with its own addresses and folder.
     */
    static List<String> kafkaServerProperties(String host, int port, int controllerPort, Path dataDir) {
        return List.of(
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@" + host + ":" + controllerPort,
                "listeners=PLAINTEXT://" + host + ":" + port + ",CONTROLLER://" + host + ":" + controllerPort,
                "advertised.listeners=PLAINTEXT://" + host + ":" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + dataDir,
                // Topics are made on purpose (bin/pulse-produce), so a mistyped --topic-... is an error, not a new topic.
                "auto.create.topics.enable=false",
                "num.partitions=3",
                "offsets.topic.replication.factor=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0");
    }

    private List<String> flinkCommand(Part part, List<String> extra) throws IOException, InterruptedException, ClusterException {
        List<String> resources = bashJavaUtils(part == Part.JOBMANAGER ? "GET_JM_RESOURCE_PARAMS" : "GET_TM_RESOURCE_PARAMS");
        List<String> jvm = new ArrayList<>(List.of(resources.get(0).trim().split("\\s+")));
        jvm.addAll(javaOpts());
        List<String> cmd = javaCommand(jvm, flinkClasspath(), part.mainClass, home.resolve("log/" + part.label + ".log"));
        cmd.addAll(List.of("--configDir", home.resolve("conf").toString()));
        for (String token : resources.get(1).trim().split("\\s+")) {
            if (!token.isEmpty()) {
                cmd.add(token);
            }
        }
        cmd.addAll(extra);
        return cmd;
    }

    /** Flink's own memory calculation (what its start scripts call): JVM flags, then dynamic properties. */
    private List<String> bashJavaUtils(String command) throws IOException, InterruptedException, ClusterException {
        Path log = home.resolve("log/bash-java-utils.log");
        List<String> cmd = javaCommand(List.of("-Xmx128m"), flinkClasspath(), "org.apache.flink.runtime.util.bash.BashJavaUtils", log);
        cmd.addAll(List.of(command, "--configDir", home.resolve("conf").toString()));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        List<String> results = new ArrayList<>();
        for (String line : output.split("\\R")) {
            if (line.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:")) {
                results.add(line.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length()));
            }
        }
        if (p.waitFor() != 0 || results.size() < 2) {
            throw new ClusterException(1, "flink: cannot compute memory settings from " + home.resolve("conf/config.yaml")
                    + " (" + command + "); see " + log);
        }
        return results;
    }

    /** env.java.opts.all of config.yaml: the JDK 17 flags Flink needs. */
    List<String> javaOpts() throws IOException {
        for (String line : Files.readAllLines(home.resolve("conf/config.yaml"), StandardCharsets.UTF_8)) {
            if (line.startsWith("env.java.opts.all:")) {
                return List.of(line.substring("env.java.opts.all:".length()).trim().split("\\s+"));
            }
        }
        return List.of();
    }

    private List<String> javaCommand(List<String> jvm, String classpath, String mainClass, Path logFile) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvm);
        cmd.add("-Djava.io.tmpdir=" + home.resolve("tmp"));
        cmd.add("-Dlog.file=" + logFile);
        cmd.add("-Dlog4j.configurationFile=" + repo.resolve("flink-conf/log4j-cluster.properties"));
        cmd.add("-Dlog4j2.configurationFile=" + repo.resolve("flink-conf/log4j-cluster.properties"));
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        return cmd;
    }

    private String flinkClasspath() throws IOException, ClusterException {
        return classpathFile("target/flink-classpath.txt");
    }

    private String kafkaClasspath() throws IOException, ClusterException {
        return classpathFile("target/kafka-classpath.txt");
    }

    private String classpathFile(String name) throws IOException, ClusterException {
        Path file = repo.resolve(name);
        if (!Files.exists(file)) {
            throw new ClusterException(2, name + " is missing; build first: mvn -DskipTests package");
        }
        return Files.readString(file).trim();
    }

    /**
     * Starts a process in its own session (setsid), so it outlives this command and a Ctrl-C in the terminal that
     * started it; its console output goes to log/PART.out, its pid to run/PART.pid.
     */
    private Process launch(Part part, List<String> command) throws IOException {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid"))) {
            cmd.add("/usr/bin/setsid");
        }
        cmd.addAll(command);
        Path console = home.resolve("log/" + part.label + ".out");
        Process p = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        Files.writeString(pidFile(part), Long.toString(p.pid()) + "\n");
        return p;
    }

    private void awaitReady(Part part, Process process, String taskManagerId, long deadline)
            throws InterruptedException, ClusterException {
        while (true) {
            if (!process.isAlive()) {
                throw new ClusterException(1, part.label + " exited at start (status " + process.exitValue() + "); see "
                        + home.resolve("log/" + part.label + ".log") + " and " + home.resolve("log/" + part.label + ".out"));
            }
            if (ready(part, taskManagerId)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new ClusterException(1, part.label + " did not become ready within " + READY_TIMEOUT.toSeconds()
                        + " s; see " + home.resolve("log/" + part.label + ".log"));
            }
            Thread.sleep(300);
        }
    }

    private boolean ready(Part part, String taskManagerId) {
        switch (part) {
            case KAFKA: {
                Properties props = new Properties();
                props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, HOST + ":" + ports.kafka());
                props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
                props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
                try (Admin admin = Admin.create(props)) {
                    return !admin.describeCluster().nodes().get(3, TimeUnit.SECONDS).isEmpty();
                } catch (Exception notYet) {
                    return false;
                }
            }
            case JOBMANAGER:
                return rest("/overview").contains("\"taskmanagers\"");
            case TASKMANAGER:
                return rest("/taskmanagers").contains("\"" + taskManagerId + "\"");
            default:
                return true;
        }
    }

    private String rest(String path) {
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + ports.flinkRest() + path))
                    .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200 ? r.body() : "";
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    // ---- stop and status --------------------------------------------------------------------------------------------

    int stop(Set<Part> parts) throws IOException, ClusterException {
        List<Part> reverse = new ArrayList<>(parts);
        java.util.Collections.reverse(reverse);
        List<String> stopped = new ArrayList<>();
        for (Part part : reverse) {
            if (part == Part.POSTGRES) {
                if (running(part).isPresent()) {
                    OrphanPostmaster.stopIfRunning(home.resolve("postgres/pgdata"));
                    stopped.add(part.label);
                }
                continue;
            }
            Optional<ProcessHandle> p = running(part);
            if (p.isPresent()) {
                stopProcess(part, p.get());
                stopped.add(part.label);
            }
            Files.deleteIfExists(pidFile(part));
        }
        out.println(stopped.isEmpty() ? "nothing was running" : "stopped: " + String.join(", ", stopped));
        return 0;
    }

    private void stopProcess(Part part, ProcessHandle process) throws ClusterException {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!waitForExit(process, STOP_GRACE)) {
            process.destroyForcibly();
            if (!waitForExit(process, Duration.ofSeconds(10))) {
                throw new ClusterException(1, part.label + " (pid " + process.pid() + ") does not stop; kill -9 it");
            }
        }
        children.forEach(ProcessHandle::destroyForcibly);
    }

    private static boolean waitForExit(ProcessHandle process, Duration wait) {
        try {
            process.onExit().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (Exception stillRunning) {
            return !process.isAlive();
        }
    }

    int status(Set<Part> parts) throws IOException {
        boolean allUp = true;
        for (Part part : parts) {
            Optional<ProcessHandle> p = running(part);
            allUp &= p.isPresent();
            String where = switch (part) {
                case POSTGRES -> "jdbc:postgresql://" + HOST + ":" + ports.postgres() + "/" + LocalPostgres.DATABASE;
                case KAFKA -> HOST + ":" + ports.kafka();
                case JOBMANAGER -> "http://" + HOST + ":" + ports.flinkRest();
                case TASKMANAGER -> "2 slots";
            };
            out.println(part.label + ": " + (p.isPresent() ? "running (pid " + p.get().pid() + ") " + where : "stopped"));
        }
        out.println("home: " + home);
        return allUp ? 0 : 3;
    }

    /** The live process of a part: its pid file names a process whose command line is that part's. */
    Optional<ProcessHandle> running(Part part) throws IOException {
        Path pidFile = part == Part.POSTGRES ? home.resolve("postgres/pgdata/postmaster.pid") : pidFile(part);
        if (!Files.exists(pidFile)) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(Files.readAllLines(pidFile).get(0).trim());
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty();
        }
        String expected = part == Part.POSTGRES ? "postgres" : part.mainClass;
        return ProcessHandle.of(pid).filter(ProcessHandle::isAlive).filter(p -> commandLine(p.pid()).contains(expected));
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException e) {
            return "";
        }
    }

    private Path pidFile(Part part) {
        return home.resolve("run/" + part.label.toLowerCase(Locale.ROOT) + ".pid");
    }
}
