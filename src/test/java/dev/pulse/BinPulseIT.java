package dev.pulse;

import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.support.Oracle;
import dev.pulse.support.RefusingTable;
import dev.pulse.support.TestPostgres;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code bin/pulse} as a user runs it: a separate JVM, its own embedded PostgreSQL, stopped with Ctrl-C. */
class BinPulseIT {
    private static final Path ROOT = Path.of("").toAbsolutePath();
    private static final Pattern PSQL = Pattern.compile("psql -h localhost -p (\\d+) -U (\\w+) (\\w+)");
    private static final Pattern DASHBOARD = Pattern.compile("^pulse: live dashboard at  (http://localhost:\\d+/)$");

    /** A started process whose output lines are collected as they come. */
    private static final class Run implements AutoCloseable {
        final Process process;
        final List<String> lines = Collections.synchronizedList(new ArrayList<>());
        private final Thread reader;

        Run(List<String> command, Path home) throws IOException {
            ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            pb.environment().put("PULSE_HOME", home.toString());
            pb.environment().put("PULSE_JAVA_OPTS", "-Xmx1g");
            process = pb.start();
            reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                        System.out.println("[bin/pulse] " + line);
                        lines.add(line);
                    }
                } catch (IOException ignored) {
                    // process gone
                }
            });
            reader.setDaemon(true);
            reader.start();
        }

        String await(Pattern pattern, Duration timeout) throws InterruptedException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                synchronized (lines) {
                    for (String l : lines) {
                        if (pattern.matcher(l).find()) {
                            return l;
                        }
                    }
                }
                Thread.sleep(200);
            }
            throw new AssertionError("no line matching " + pattern + " within " + timeout + "; output:\n" + String.join("\n", lines));
        }

        int exit(Duration timeout) throws InterruptedException {
            assertThat(process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)).as("exited in time").isTrue();
            reader.join(10_000); // its last lines may still be in the pipe when the process is gone
            return process.exitValue();
        }

        String output() {
            synchronized (lines) {
                return String.join("\n", lines);
            }
        }

        /** A test that fails midway stops its bin/pulse the graceful way (SIGTERM), so no postgres is left behind. */
        @Override
        public void close() throws InterruptedException {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    /** Rows of the table whose window is still open (early results), or -1 while the table is not reachable. */
    private static long openRows(Matcher psql, String table) {
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + psql.group(1) + "/"
                + psql.group(3), psql.group(2), "");
             ResultSet rs = c.createStatement().executeQuery("SELECT count(*) FROM " + table + " WHERE NOT is_final")) {
            rs.next();
            return rs.getLong(1);
        } catch (Exception e) {
            return -1;
        }
    }

    @Test
    void startsWithNoOptionsFillsEveryTableWhileWindowsAreOpenAndStopsCleanlyOnCtrlC(@TempDir Path home) throws Exception {
        Run run = new Run(List.of("bin/pulse"), home);
        Matcher psql = PSQL.matcher(run.await(PSQL, Duration.ofMinutes(3)));
        assertThat(psql.find()).isTrue();
        long started = System.nanoTime();
        long rows = 0;
        // The job starts after the psql line: on RocksDB (an unbounded run's backend) each stateful step opens its
        // database first, which takes several seconds more on a busy machine.
        while (rows <= 0 && System.nanoTime() - started < Duration.ofSeconds(60).toNanos()) {
            Thread.sleep(500);
            rows = openRows(psql, "order_metrics");
        }
        assertThat(rows).as("open-window rows in order_metrics within 60 s of the psql line").isPositive();
        for (String table : Oracle.TABLES) {
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (openRows(psql, table) <= 0 && System.nanoTime() < deadline) {
                Thread.sleep(500);
            }
            assertThat(openRows(psql, table)).as("early results in " + table).isPositive();
        }
        run.await(Pattern.compile("events in: orders [1-9][\\d,]* .*rows upserted [1-9]"), Duration.ofSeconds(30));

        // The live page: its URL on the line after the psql line; the page and the running job's document served.
        String urlLine = run.await(DASHBOARD, Duration.ofSeconds(5));
        assertThat(run.lines.indexOf(urlLine)).isEqualTo(run.lines.indexOf(run.await(PSQL, Duration.ofSeconds(1))) + 1);
        Matcher url = DASHBOARD.matcher(urlLine);
        assertThat(url.find()).isTrue();
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.http.HttpResponse<String> page = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url.group(1))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("Pulse", "/dashboard.js");
        java.net.http.HttpResponse<String> doc = http.send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(url.group(1) + "api/dashboard")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(doc.statusCode()).as(doc.body()).isEqualTo(200);
        assertThat(doc.body()).contains("\"as_of\"", "\"today\"", "\"top_products\"");

        new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).start().waitFor();

        run.exit(Duration.ofSeconds(60));
        assertThat(run.output()).contains("pulse: stopping").contains("pulse: stopped").doesNotContain("Exception");
        assertThat(home.resolve("pgdata/PG_VERSION")).exists(); // data kept for the next run
    }

    /** Keys of every order_metrics row, read through the psql line's port. */
    private static Set<String> orderMetricKeys(Matcher psql) throws Exception {
        Set<String> keys = new HashSet<>();
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://localhost:" + psql.group(1) + "/"
                + psql.group(3), psql.group(2), "");
             ResultSet rs = c.createStatement().executeQuery(
                     "SELECT grain || ' ' || window_start || ' ' || region || ' ' || city FROM order_metrics")) {
            while (rs.next()) {
                keys.add(rs.getString(1));
            }
        }
        return keys;
    }

    /** The postgres processes (postmaster and its server processes) running on dataDir: they work in it. */
    private static List<ProcessHandle> postgresOn(Path dataDir) throws IOException {
        Path real = dataDir.toRealPath();
        return ProcessHandle.allProcesses().filter(p -> p.info().command()
                .map(c -> Path.of(c).getFileName().toString().equals("postgres")).orElse(false))
                .filter(p -> {
                    try {
                        return Files.readSymbolicLink(Path.of("/proc", Long.toString(p.pid()), "cwd")).equals(real);
                    } catch (IOException gone) {
                        return false;
                    }
                }).collect(Collectors.toList());
    }

    private static Matcher awaitPsql(Run run) throws InterruptedException {
        Matcher psql = PSQL.matcher(run.await(PSQL, Duration.ofMinutes(3)));
        assertThat(psql.find()).isTrue();
        return psql;
    }

    private static void ctrlC(Run run) throws Exception {
        new ProcessBuilder("kill", "-INT", Long.toString(run.process.pid())).start().waitFor();
    }

    /** Alive and not a zombie (exited, waiting for init to reap it). */
    private static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException gone) {
            return false;
        }
    }

    @Test
    void restartsAfterItsJvmIsKilledWithTheRowsOfTheFirstRunAndCtrlCThenLeavesNoPostgresBehind(@TempDir Path home)
            throws Exception {
        long orphan;
        Set<String> before;
        try (Run first = new Run(List.of("bin/pulse", "--rate", "100"), home)) {
            Matcher psql = awaitPsql(first);
            first.await(Pattern.compile("events in: .*rows upserted [1-9]"), Duration.ofSeconds(60));
            // Rows of some table are in; order_metrics' first batch may commit a moment later.
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            before = orderMetricKeys(psql);
            while (before.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                before = orderMetricKeys(psql);
            }
            assertThat(before).as("order_metrics rows of the first run").isNotEmpty();

            new ProcessBuilder("kill", "-KILL", Long.toString(first.process.pid())).start().waitFor(); // the JVM only
            first.exit(Duration.ofSeconds(30));
            orphan = Long.parseLong(Files.readAllLines(home.resolve("pgdata/postmaster.pid")).get(0).trim());
            assertThat(running(orphan)).as("postmaster outlives the JVM").isTrue();
        }

        try (Run second = new Run(List.of("bin/pulse", "--rate", "100"), home)) {
            Matcher psqlAgain = awaitPsql(second);
            assertThat(running(orphan)).as("orphan stopped").isFalse();
            assertThat(orderMetricKeys(psqlAgain)).as("rows of the first run").containsAll(before);
            second.await(Pattern.compile("events in: .*rows upserted [1-9]"), Duration.ofSeconds(60));

            ctrlC(second);
            second.exit(Duration.ofSeconds(60));
            assertThat(second.output()).contains("pulse: stopped").doesNotContain("Exception").doesNotContain("\tat ");
        }
        assertThat(postgresOn(home.resolve("pgdata"))).as("postgres processes left on the data directory").isEmpty();
        assertThat(Files.readString(home.resolve("pulse.log"))).contains("of a crashed bin/pulse still runs");
    }

    @Test
    void aSecondRunOnTheSameHomeExitsTwoWithOneLineSayingAnotherRunUsesItAndHowToChooseAnother(@TempDir Path home)
            throws Exception {
        try (Run first = new Run(List.of("bin/pulse", "--rate", "100"), home)) {
            awaitPsql(first);

            try (Run second = new Run(List.of("bin/pulse", "--rate", "100"), home)) {
                assertThat(second.exit(Duration.ofSeconds(60))).isEqualTo(2);
                assertThat(second.lines).filteredOn(l -> !l.startsWith("pulse: starting embedded PostgreSQL"))
                        .containsExactly("pulse: another bin/pulse is running with PULSE_HOME " + home + " (its "
                                + "embedded PostgreSQL and data); stop it first, or give this run its own folder: "
                                + "PULSE_HOME=/path/to/other bin/pulse ...");
            }

            first.await(Pattern.compile("events in: .*rows upserted [1-9]"), Duration.ofSeconds(60)); // undisturbed
            assertThat(Files.readString(home.resolve("pulse.log"))).as("the first run's log is kept").contains("Job pulse (");
            ctrlC(first);
            first.exit(Duration.ofSeconds(60));
        }
        assertThat(postgresOn(home.resolve("pgdata"))).isEmpty();
    }

    @Test
    void aBadOptionExitsTwoWithOneLineNamingItAndNoStackTrace(@TempDir Path home) throws Exception {
        Run run = new Run(List.of("bin/pulse", "--rate", "fast"), home);
        assertThat(run.exit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(run.output()).isEqualTo("pulse: --rate: 'fast' is not a whole number (with generator: order events "
                + "per second; behaviour and payments follow the mix 1000 : 5000 : 500)");
    }

    @Test
    void anUnreachableDatabaseExitsTwoNamingTheAddress(@TempDir Path home) throws Exception {
        Run run = new Run(List.of("bin/pulse", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pulse"), home);
        assertThat(run.exit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(run.output()).startsWith("pulse: --jdbc-url: cannot reach PostgreSQL at 127.0.0.1:1")
                .contains("start the server or correct --jdbc-url").doesNotContain("\tat ");
    }

    /** stdout and stderr of the JVM together: pgjdbc logs through java.util.logging, which writes to the terminal. */
    @Test
    void aBadJdbcUrlPrintsOneLineWithoutTheDriversLoggingOrTheUrlParameters(@TempDir Path home) throws Exception {
        Run badPort = new Run(List.of("bin/pulse", "--jdbc-url", "jdbc:postgresql://127.0.0.1:notaport/db"), home);
        assertThat(badPort.exit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(badPort.output()).isEqualTo("pulse: --jdbc-url: port 'notaport' of host 127.0.0.1 is not a number from "
                + "1 to 65535; write jdbc:postgresql://host[:port][,host[:port]...]/database[?params]");

        // loginTimeout=abc makes pgjdbc log a WARNING while it connects.
        Run refused = new Run(List.of("bin/pulse", "--jdbc-url",
                "jdbc:postgresql://127.0.0.1:1/pulse?loginTimeout=abc&ApplicationName=hidden"), home);
        assertThat(refused.exit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(refused.output()).doesNotContain("\n").doesNotContain("hidden")
                .startsWith("pulse: --jdbc-url: cannot reach PostgreSQL at 127.0.0.1:1/pulse (")
                .endsWith("); start the server or correct --jdbc-url");

        Run password = new Run(List.of("bin/pulse", "--jdbc-url", "jdbc:postgresql://127.0.0.1:1/pulse?password=hunter2"), home);
        assertThat(password.exit(Duration.ofSeconds(60))).isEqualTo(2);
        assertThat(password.output()).isEqualTo("pulse: --jdbc-url: a password parameter is not accepted in the URL "
                + "(command lines show in process lists and logs); set the environment variable PULSE_JDBC_PASSWORD instead");
    }

    @Test
    void replaysAFolderItHasNeverSeenIntoAnyPostgresEqualToPlainSqlAndExitsZero(@TempDir Path home, @TempDir Path input)
            throws Exception {
        DatasetWriter.write(input, new EventGenerator(97, 8, DatasetWriter.DEFAULT_START.toEpochMilli(),
                EventGenerator.Faults.standard()), Duration.ofMinutes(20));
        Oracle.load(input);
        Run run = new Run(List.of("bin/pulse", "--source", "files", "--input", input.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "replay"), home);
        assertThat(run.exit(Duration.ofMinutes(3))).as(run.output()).isZero();
        assertThat(run.output()).contains("pulse: done.");

        Oracle.prepare("replay");
        for (String table : Oracle.TABLES) {
            assertThat(Oracle.actual(table, "replay")).as(table)
                    .containsExactlyElementsOf(Oracle.expected(table, Map.of("GAP", "30 minutes", "TOP_N", "10")))
                    .isNotEmpty();
        }
        assertThat(TestPostgres.count("SELECT count(*) FROM replay.late_events")).isZero();
        assertThat(new java.util.HashSet<>(TestPostgres.rows("SELECT source FROM replay.dead_letters")))
                .isEqualTo(Oracle.malformed(input));
    }

    @Test
    void aDatabaseErrorNoRestartCanFixFailsTheRunAtOnceWithOneLineNamingTheTableAndNoStackTrace(@TempDir Path home,
                                                                                               @TempDir Path input)
            throws Exception {
        DatasetWriter.write(input, new EventGenerator(5, 8, DatasetWriter.DEFAULT_START.toEpochMilli(),
                EventGenerator.Faults.standard()), Duration.ofMinutes(20));
        RefusingTable.install("refused", "order_metrics");
        long started = System.nanoTime();
        Run run = new Run(List.of("bin/pulse", "--source", "files", "--input", input.toString(), "--jdbc-url",
                TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "refused", "--parallelism", "1"), home);

        assertThat(run.exit(Duration.ofMinutes(3))).as(run.output()).isEqualTo(1);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        System.out.println("bin/pulse failed after " + took.toMillis() + " ms");
        assertThat(run.lines).allSatisfy(l -> assertThat(l).startsWith("pulse: "))
                .filteredOn(l -> l.startsWith("pulse: the job failed: ")).containsExactly("pulse: the job failed: "
                        + "writing to order_metrics: order_metrics is frozen for the audit (SQLState 23514; a restart "
                        + "cannot fix this, so the job was not restarted)");
        // One job attempt: the connector tries the batch 6 times (5 retries), and 6 times again when the failed
        // writer is closed; each restart (3 locally) would add 12 more.
        assertThat(RefusingTable.attempts("refused")).isBetween(1L, 12L);
        String log = Files.readString(home.resolve("pulse.log"));
        assertThat(log).contains("The failure is not recoverable").doesNotContain("switched from state RUNNING to RESTARTING");
        assertThat(log).as("stack traces kept in the log").contains("SuppressRestartsException").contains("\tat org.apache.flink");
    }

    /** As root, the embedded PostgreSQL runs inside a user namespace; as a normal user it runs as that user. */
    @Test
    void runsTheEmbeddedDatabaseAsANormalUserToo(@TempDir Path scratch) throws Exception {
        boolean root = "root".equals(System.getProperty("user.name"));
        Path lib = Files.createDirectories(scratch.resolve("lib"));
        List<String> classpath = new ArrayList<>();
        Files.copy(ROOT.resolve("target/pulse.jar"), lib.resolve("pulse.jar"));
        classpath.add(lib.resolve("pulse.jar").toString());
        for (String jar : Files.readString(ROOT.resolve("target/classpath.txt")).trim().split(":")) {
            Path copy = lib.resolve(Path.of(jar).getFileName());
            Files.copy(Path.of(jar), copy, StandardCopyOption.REPLACE_EXISTING);
            classpath.add(copy.toString());
        }
        Path home = Files.createDirectories(scratch.resolve("home"));
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>();
        if (root) {
            new ProcessBuilder("chmod", "-R", "a+rwX", scratch.toString()).start().waitFor();
            new ProcessBuilder("chmod", "a+x", scratch.getParent().toString()).start().waitFor();
            command.addAll(List.of("runuser", "-u", "nobody", "--"));
        }
        command.addAll(List.of(java, "-Xmx1g", "-Dpulse.local=true", "-Dpulse.home=" + home,
                "-Djava.io.tmpdir=" + home, "-Dlog4j.configurationFile=" + ROOT.resolve("flink-conf/log4j-local.properties"),
                "-Dpulse.log=" + home.resolve("pulse.log"), "-cp", String.join(":", classpath), "dev.pulse.Main",
                "--rate", "100", "--duration", "10s", "--seed", "3"));
        Run run = new Run(command, home);
        assertThat(run.exit(Duration.ofMinutes(3))).as(run.output()).isZero();
        assertThat(run.output()).contains("psql -h localhost").contains("pulse: done.");
        assertThat(run.output()).containsPattern("events in: orders 1,000 behavior 5,000 payments 500");
    }
}
