package dev.pulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.pulse.config.UsageException;
import dev.pulse.local.LocalPostgres;
import dev.pulse.sink.JdbcSettings;
import dev.pulse.sink.SchemaInstaller;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code bin/pulse-bi-bench}: latency of the screen's questions (the {@code bi_*} views and {@code pulse_dashboard()})
 * from many concurrent clients, over three designs in one run: Pulse's sink tables (30 days of window rows), raw
 * event tables with the same questions as plain SQL, and materialized views over the raw events refreshed every
 * minute. A benchmark, not a test: it prints a table and writes {@code target/bench/bi.json}; nothing is asserted.
 */
public final class BiBench {
    static final String SINK = "pulse";
    static final String RAW = "pulse_raw";
    static final String MV = "pulse_mv";

    /** A design: its name in the output and the schema its relations live in. */
    record Design(String name, String schema, String what) {}

    static final List<Design> DESIGNS = List.of(
            new Design("sink", SINK, "Pulse: the job's sink tables and the bi_* views"),
            new Design("mv", MV, "materialized views over raw events, REFRESH ... CONCURRENTLY every minute"),
            new Design("raw", RAW, "raw event tables, the questions as plain SQL"));

    /** A screen question: one query text, {@code {s}} standing for the design's schema. */
    record Question(String name, String sql) {
        String sqlFor(Design d) {
            return sql.replace("{s}", d.schema());
        }
    }

    static final List<Question> QUESTIONS = List.of(
            new Question("gmv_today", "SELECT * FROM {s}.bi_gmv_today"),
            new Question("gmv_per_minute", "SELECT * FROM {s}.bi_gmv_per_minute"),
            new Question("top_products_now", "SELECT * FROM {s}.bi_top_products_now"),
            new Question("sales_by_region_today", "SELECT * FROM {s}.bi_sales_by_region_today"),
            new Question("funnel_live", "SELECT * FROM {s}.bi_funnel_live"),
            new Question("sessions_24h",
                    "SELECT * FROM {s}.bi_sessions_hourly WHERE time >= {s}.bi_now() - interval '24 hours'"),
            new Question("payments_last_hour", "SELECT * FROM {s}.bi_payments_last_hour"),
            new Question("payments_per_minute_1h",
                    "SELECT * FROM {s}.bi_payments_per_minute WHERE time >= {s}.bi_now() - interval '60 minutes'"),
            new Question("bad_input_last_hour", "SELECT * FROM {s}.bi_bad_input_last_hour"),
            new Question("dashboard", "SELECT {s}.pulse_dashboard()"));

    private final BenchOptions o;
    private final ObjectNode json;

    private BiBench(BenchOptions o) {
        this.o = o;
        this.json = new ObjectMapper().createObjectNode();
    }

    public static void main(String[] args) {
        BenchOptions o;
        try {
            o = BenchOptions.parse(args);
        } catch (UsageException e) {
            System.err.println("pulse-bi-bench: " + e.getMessage());
            System.err.println(BenchOptions.USAGE);
            System.exit(2);
            return;
        }
        if (o.help()) {
            System.out.println(BenchOptions.USAGE);
            return;
        }
        try {
            new BiBench(o).run();
        } catch (UsageException e) {
            System.err.println("pulse-bi-bench: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("pulse-bi-bench: failed: " + e);
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private void run() throws Exception {
        List<Question> questions = o.questions();
        String driver = o.driver();
        if (driver.equals("auto")) {
            driver = Pgbench.available() ? "pgbench" : "jdbc";
        } else if (driver.equals("pgbench") && !Pgbench.available()) {
            throw new UsageException("--driver pgbench: pgbench is not on the PATH (Debian: apt-get install postgresql-client)");
        }
        Path home = o.home().toAbsolutePath();
        deleteRecursively(home.resolve("pgdata"));
        Files.createDirectories(home);
        log("starting PostgreSQL (embedded, data in " + home.resolve("pgdata") + ")");
        try (LocalPostgres pg = LocalPostgres.start(home)) {
            String url = pg.jdbcUrl();
            JdbcSettings jdbc = new JdbcSettings(url, LocalPostgres.ROLE, null, SINK);
            SchemaInstaller.install(jdbc);
            ObjectNode data = json.putObject("data");
            String end;
            String postgresVersion;
            try (Connection c = DriverManager.getConnection(url, LocalPostgres.ROLE, null); Statement st = c.createStatement()) {
                end = scalar(st, "SELECT to_char((date_bin('1 minute', now(), timestamptz 'epoch') + interval '1 minute') "
                        + "AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')");
                postgresVersion = scalar(st, "SHOW server_version");
                data.put("end", end);
                Map<String, String> vars = Map.of("DAYS", Integer.toString(o.days()), "END", end,
                        "RATE", Double.toString(o.rate()), "SINK", SINK);
                log("filling the sink tables: " + o.days() + " days of window rows ending " + end);
                data.put("sink_fill_s", timed(() -> script(st, "SET search_path TO " + SINK + ";\n"
                        + SchemaInstaller.read("bench/bi/fill_sink.sql"), vars)));
                log("loading raw events: " + o.days() + " days at " + o.rate() + " orders/s (and behaviour, payments)");
                data.put("raw_load_s", timed(() -> script(st, SchemaInstaller.read("bench/bi/raw_schema.sql"), vars)));
                log("creating the materialized views and the bi_* views over them");
                data.put("mv_create_s", timed(() -> {
                    script(st, SchemaInstaller.read("bench/bi/mv_schema.sql"), vars);
                    st.execute("SET search_path TO " + MV);
                    st.execute(SchemaInstaller.read("sql/postgres/bi_views.sql"));
                    st.execute(SchemaInstaller.read("sql/postgres/bi_dashboard.sql"));
                    st.execute("SET search_path TO " + SINK);
                    st.execute("VACUUM ANALYZE");
                }));
                data.set("rows", rowCounts(st));
                data.put("database_mb", Long.parseLong(scalar(st, "SELECT pg_database_size(current_database()) / 1048576")));
            }
            describeRun(driver, postgresVersion, questions);
            ArrayNode results = json.putArray("results");
            Map<String, Map<String, Latencies>> table = new LinkedHashMap<>();
            ObjectNode rowsReturned = json.putObject("rows_returned");
            try (Connection c = DriverManager.getConnection(url, LocalPostgres.ROLE, null); Statement st = c.createStatement()) {
                for (Design d : DESIGNS) {
                    ObjectNode perDesign = rowsReturned.putObject(d.name());
                    for (Question q : questions) {
                        perDesign.put(q.name(), countRows(st, q.sqlFor(d)));
                    }
                }
            }
            Load load = driver.equals("pgbench")
                    ? new Pgbench(pg.port(), LocalPostgres.DATABASE, LocalPostgres.ROLE, o.out().toAbsolutePath().getParent().resolve("pgbench"))
                    : new JdbcLoad(url, LocalPostgres.ROLE);
            for (Design d : DESIGNS) {
                MvRefresher refresher = d.schema().equals(MV) ? MvRefresher.start(url, LocalPostgres.ROLE, o.refreshEvery()) : null;
                try {
                    for (Question q : questions) {
                        log(String.format(Locale.ROOT, "%-5s %-24s %d clients, %s s (+%s s warm-up)", d.name(), q.name(),
                                o.clients(), Report.fmt(o.seconds()), Report.fmt(o.warmup())));
                        Latencies l = load.run(d.name() + "-" + q.name(), q.sqlFor(d), o.clients(), o.warmup(), o.seconds());
                        table.computeIfAbsent(q.name(), k -> new LinkedHashMap<>()).put(d.name(), l);
                        ObjectNode r = results.addObject();
                        r.put("design", d.name());
                        r.put("query", q.name());
                        l.writeTo(r);
                    }
                } finally {
                    if (refresher != null) {
                        json.set("mv_refresh", refresher.stop());
                    }
                }
            }
            json.put("finished_at", Instant.now().toString());
            Path out = o.out().toAbsolutePath();
            Files.createDirectories(out.getParent());
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), json);
            System.out.println();
            System.out.print(Report.table(table, o, driver, json));
            System.out.println("written: " + out);
        } finally {
            if (!o.keep()) {
                deleteRecursively(home.resolve("pgdata"));
            }
        }
    }

    private void describeRun(String driver, String postgresVersion, List<Question> questions) {
        List<String> shown = new ArrayList<>(o.args());
        int h = shown.indexOf("--home");
        if (h >= 0 && h + 1 < shown.size() && System.getenv("PULSE_BENCH_HOME") == null) {
            shown.subList(h, h + 2).clear(); // the launcher's default
        }
        json.put("command", ("bin/pulse-bi-bench " + String.join(" ", shown)).trim());
        json.put("started_at", Instant.now().toString());
        ObjectNode machine = json.putObject("machine");
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("cpu", cpuModel());
        machine.put("memory_gb", memoryGb());
        machine.put("load_average_at_start", loadAverage());
        machine.put("postgres", postgresVersion + " (embedded, zonky binaries, default settings)");
        machine.put("client", driver.equals("pgbench") ? Pgbench.version() + " -M prepared" : "JDBC, one thread and connection per client, prepared statements");
        machine.put("note", "client, server and other processes share the same cores");
        ObjectNode settings = json.putObject("settings");
        settings.put("days", o.days());
        settings.put("raw_orders_per_s", o.rate());
        settings.put("clients", o.clients());
        settings.put("seconds_per_query", o.seconds());
        settings.put("warmup_s", o.warmup());
        settings.put("driver", driver);
        settings.put("mv_refresh_every_s", o.refreshEvery());
        ArrayNode designs = json.putArray("designs");
        for (Design d : DESIGNS) {
            designs.addObject().put("name", d.name()).put("schema", d.schema()).put("what", d.what());
        }
        ArrayNode qs = json.putArray("queries");
        for (Question q : questions) {
            ObjectNode n = qs.addObject().put("name", q.name());
            ObjectNode sql = n.putObject("sql");
            for (Design d : DESIGNS) {
                sql.put(d.name(), q.sqlFor(d));
            }
        }
    }

    private static ObjectNode rowCounts(Statement st) throws SQLException {
        ObjectNode rows = new ObjectMapper().createObjectNode();
        String[][] relations = {
            {SINK, "order_metrics"}, {SINK, "gmv_sliding"}, {SINK, "top_products"}, {SINK, "funnel_metrics"},
            {SINK, "session_funnel"}, {SINK, "payment_metrics"}, {SINK, "active_users"}, {SINK, "dead_letters"},
            {SINK, "late_events"}, {RAW, "orders"}, {RAW, "behavior"}, {RAW, "payments"}, {MV, "order_metrics"},
            {MV, "gmv_sliding"}, {MV, "top_products"}, {MV, "funnel_metrics"}, {MV, "session_funnel"},
            {MV, "payment_metrics"}};
        for (String[] r : relations) {
            rows.put(r[0] + "." + r[1], Long.parseLong(scalar(st, "SELECT count(*) FROM " + r[0] + "." + r[1])));
        }
        return rows;
    }

    private static long countRows(Statement st, String sql) throws SQLException {
        long n = 0;
        try (ResultSet rs = st.executeQuery(sql)) {
            while (rs.next()) {
                n++;
            }
        }
        return n;
    }

    static String scalar(Statement st, String sql) throws SQLException {
        try (ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void script(Statement st, String sql, Map<String, String> vars) throws SQLException {
        String text = sql;
        for (Map.Entry<String, String> v : vars.entrySet()) {
            text = text.replace("${" + v.getKey() + "}", v.getValue());
        }
        st.execute(text);
    }

    interface SqlWork {
        void run() throws SQLException;
    }

    private static double timed(SqlWork work) throws SQLException {
        long t0 = System.nanoTime();
        work.run();
        return Math.round((System.nanoTime() - t0) / 1e8) / 10.0;
    }

    static void log(String line) {
        System.out.println("pulse-bi-bench: " + line);
        System.out.flush();
    }

    private static String cpuModel() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static long memoryGb() {
        try (Stream<String> lines = Files.lines(Paths.get("/proc/meminfo"))) {
            return lines.filter(l -> l.startsWith("MemTotal")).map(l -> Long.parseLong(l.replaceAll("\\D", "")) / 1024 / 1024)
                    .findFirst().orElse(0L);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static String loadAverage() {
        try {
            String[] f = Files.readString(Paths.get("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                Files.deleteIfExists(p);
            }
        }
    }

    static List<String> names() {
        return QUESTIONS.stream().map(Question::name).collect(Collectors.toList());
    }

    static String joined(String[] parts) {
        return String.join(" ", Arrays.asList(parts));
    }

    /** Runs one query text from n clients for a while and returns the latencies of the measured part. */
    interface Load {
        Latencies run(String label, String sql, int clients, double warmupS, double seconds) throws Exception;
    }

    /** For the report: a list of results in a fixed order. */
    static List<String> designNames() {
        List<String> n = new ArrayList<>();
        for (Design d : DESIGNS) {
            n.add(d.name());
        }
        return n;
    }
}
