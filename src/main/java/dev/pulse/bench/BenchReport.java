package dev.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * The reporting half of {@code bin/pulse-bench}: the script runs and times each job, this class turns its
 * measurements into a table (stdout), {@code bench.json} and a bar chart {@code bench.png}. Also the two small
 * database chores the script needs without psql: dropping the benchmark schemas before a run and counting the rows a
 * run wrote (a run that wrote nothing measured nothing).
 * <pre>
 *   BenchReport report DIR          reads DIR/runs.tsv and DIR/meta.properties (and DIR/freshness.json when the
 *                                   freshness phase ran), writes DIR/bench.json, DIR/bench.png
 *   BenchReport drop URL USER SCHEMA...
 *   BenchReport rows URL USER SCHEMA   total rows in the schema's tables (prints one number)
 * </pre>
 * runs.tsv: one line per run, tab-separated: name, parallelism, events, wall s, user s, sys s, peak RSS KiB.
 */
public final class BenchReport {
    private BenchReport() {}

    /** One measured run. */
    public record Run(String name, int parallelism, long events, double wallS, double userS, double sysS, long peakRssKb) {
        public double cpuS() {
            return userS + sysS;
        }

        public double eventsPerCpuS() {
            return cpuS() > 0 ? events / cpuS() : 0;
        }

        public double eventsPerS() {
            return wallS > 0 ? events / wallS : 0;
        }

        public String label() {
            return name + " p" + parallelism;
        }
    }

    /** What each row name means, for the table's legend and the JSON. */
    static final Map<String, String> MEANING = new LinkedHashMap<>();

    static {
        MEANING.put("pulse", "bin/pulse --source files --tables <the six the SQL job computes>: those tables into PostgreSQL "
                + "(dead letters, late events included)");
        MEANING.put("pulse_all", "bin/pulse --source files: all nine metric tables (also active_users, retention, "
                + "path_transitions, which the SQL job does not compute)");
        MEANING.put("pulse_rocksdb", "as pulse, with --state-backend rocksdb (state on local disk, incremental checkpoints)");
        MEANING.put("sql", "Flink SQL: the six table scripts of sql/flink/ as one statement set into sql_<table> (bin/sql-client)");
        MEANING.put("floor", "Flink SQL that only reads, parses (the same parser UDFs) and counts the three files (bench/sql/floor.sql)");
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
        }
        switch (args[0]) {
            case "report" -> {
                if (args.length != 2) usage();
                report(Path.of(args[1]), System.out);
            }
            case "drop" -> {
                if (args.length < 4) usage();
                try (Connection c = connect(args[1], args[2]); Statement st = c.createStatement()) {
                    for (int i = 3; i < args.length; i++) {
                        st.execute("DROP SCHEMA IF EXISTS " + identifier(args[i]) + " CASCADE");
                    }
                }
            }
            case "rows" -> {
                if (args.length != 4) usage();
                System.out.println(rows(args[1], args[2], args[3]));
            }
            default -> usage();
        }
    }

    private static void usage() {
        System.err.println("usage: BenchReport report DIR | drop URL USER SCHEMA... | rows URL USER SCHEMA");
        System.exit(2);
    }

    private static String identifier(String s) {
        if (!s.matches("[A-Za-z_][A-Za-z0-9_]*")) {
            throw new IllegalArgumentException("not a plain identifier: " + s);
        }
        return s;
    }

    /** A connection as the benchmark's user; the password only from the environment. */
    static Connection connect(String url, String user) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", user);
        String password = System.getenv("PULSE_JDBC_PASSWORD");
        if (password != null && !password.isEmpty()) {
            p.setProperty("password", password);
        }
        return DriverManager.getConnection(url, p);
    }

    static long rows(String url, String user, String schema) throws SQLException {
        long total = 0;
        try (Connection c = connect(url, user)) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = c.getMetaData().getTables(null, identifier(schema), "%", new String[] {"TABLE"})) {
                while (rs.next()) {
                    tables.add(rs.getString("TABLE_NAME"));
                }
            }
            try (Statement st = c.createStatement()) {
                for (String t : tables) {
                    try (ResultSet rs = st.executeQuery("SELECT count(*) FROM " + schema + ".\"" + t + "\"")) {
                        rs.next();
                        total += rs.getLong(1);
                    }
                }
            }
        }
        return total;
    }

    static List<Run> readRuns(Path tsv) throws IOException {
        List<Run> runs = new ArrayList<>();
        for (String line : Files.readAllLines(tsv, StandardCharsets.UTF_8)) {
            if (line.isBlank() || line.startsWith("#")) continue;
            String[] f = line.split("\t");
            if (f.length < 7) {
                throw new IOException(tsv + ": expected 7 tab-separated fields: " + line);
            }
            runs.add(new Run(f[0], Integer.parseInt(f[1]), Long.parseLong(f[2]), Double.parseDouble(f[3]),
                    Double.parseDouble(f[4]), Double.parseDouble(f[5]), Long.parseLong(f[6])));
        }
        return runs;
    }

    static void report(Path dir, PrintStream out) throws IOException {
        List<Run> runs = readRuns(dir.resolve("runs.tsv"));
        Properties meta = new Properties();
        Path metaFile = dir.resolve("meta.properties");
        if (Files.exists(metaFile)) {
            try (var in = Files.newBufferedReader(metaFile, StandardCharsets.UTF_8)) {
                meta.load(in);
            }
        }
        out.print(table(runs));
        for (String ratio : ratios(runs)) {
            out.println(ratio);
        }
        // The freshness phase's figures (Freshness writes them), when it ran.
        JsonNode freshness = null;
        Path freshFile = dir.resolve("freshness.json");
        if (Files.exists(freshFile)) {
            freshness = new ObjectMapper().readTree(freshFile.toFile());
            out.println(freshness.path("summary").asText());
        }
        writeJson(dir.resolve("bench.json"), runs, meta, freshness);
        writePng(dir.resolve("bench.png"), runs, meta.getProperty("dataset", ""));
        out.println("wrote " + dir.resolve("bench.json") + " and " + dir.resolve("bench.png"));
    }

    static String table(List<Run> runs) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-6s %4s %11s %8s %8s %10s %13s %9s%n",
                "run", "par", "events", "wall s", "CPU s", "events/s", "events/CPU-s", "peak RSS"));
        for (Run r : runs) {
            sb.append(String.format(Locale.ROOT, "%-6s %4d %,11d %8.1f %8.1f %,10.0f %,13.0f %6.2f GB%n",
                    r.name(), r.parallelism(), r.events(), r.wallS(), r.cpuS(), r.eventsPerS(), r.eventsPerCpuS(),
                    r.peakRssKb() / 1024.0 / 1024.0));
        }
        return sb.toString();
    }

    /** Pulse against each baseline at the same parallelism, per CPU-second. */
    static List<String> ratios(List<Run> runs) {
        List<String> lines = new ArrayList<>();
        for (Run p : runs) {
            if (!p.name().startsWith("pulse")) continue;
            for (Run b : runs) {
                if (b.name().startsWith("pulse") || b.parallelism() != p.parallelism() || b.eventsPerCpuS() <= 0) continue;
                lines.add(String.format(Locale.ROOT, "p%d: %s / %s events per CPU-second = %.2f",
                        p.parallelism(), p.name(), b.name(), p.eventsPerCpuS() / b.eventsPerCpuS()));
            }
        }
        return lines;
    }

    static void writeJson(Path file, List<Run> runs, Properties meta, JsonNode freshness) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = json.createObjectNode();
        ObjectNode m = root.putObject("meta");
        meta.stringPropertyNames().stream().sorted().forEach(k -> m.put(k, meta.getProperty(k)));
        ObjectNode meanings = root.putObject("row_meanings");
        MEANING.forEach(meanings::put);
        ArrayNode rows = root.putArray("rows");
        for (Run r : runs) {
            ObjectNode o = rows.addObject();
            o.put("name", r.name());
            o.put("parallelism", r.parallelism());
            o.put("events", r.events());
            o.put("wall_s", round(r.wallS(), 2));
            o.put("user_s", round(r.userS(), 2));
            o.put("sys_s", round(r.sysS(), 2));
            o.put("cpu_s", round(r.cpuS(), 2));
            o.put("events_per_s", Math.round(r.eventsPerS()));
            o.put("events_per_cpu_s", Math.round(r.eventsPerCpuS()));
            o.put("peak_rss_mb", Math.round(r.peakRssKb() / 1024.0));
        }
        ArrayNode ratios = root.putArray("ratios");
        ratios(runs).forEach(ratios::add);
        if (freshness != null) {
            root.set("freshness", freshness);
        }
        Files.writeString(file, json.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }

    private static double round(double v, int places) {
        double f = Math.pow(10, places);
        return Math.round(v * f) / f;
    }

    private static final Map<String, Color> COLORS = Map.of(
            "pulse", new Color(0x2B, 0x6C, 0xB0), "pulse_all", new Color(0x6F, 0xA0, 0xD8),
            "pulse_rocksdb", new Color(0x3A, 0x8F, 0x6E), "sql", new Color(0xDD, 0x7A, 0x2E), "floor", new Color(0x7A, 0x7A, 0x7A));

    /** Horizontal bars: events per CPU-second of each run, the value written at the bar's end. */
    static void writePng(Path file, List<Run> runs, String subtitle) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int barH = 28, gap = 12, left = 110, right = 140, top = 70, width = 900;
        int height = top + runs.size() * (barH + gap) + 40;
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, height);
            g.setColor(Color.BLACK);
            g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
            g.drawString("Events per CPU-second (user+sys of the process tree), higher is better", 12, 24);
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
            g.drawString(subtitle, 12, 44);
            double max = runs.stream().mapToDouble(Run::eventsPerCpuS).max().orElse(1);
            if (max <= 0) max = 1;
            int plotW = width - left - right;
            FontMetrics fm = g.getFontMetrics();
            for (int i = 0; i < runs.size(); i++) {
                Run r = runs.get(i);
                int y = top + i * (barH + gap);
                int w = (int) Math.round(plotW * r.eventsPerCpuS() / max);
                g.setColor(COLORS.getOrDefault(r.name(), Color.DARK_GRAY));
                g.fillRect(left, y, Math.max(w, 1), barH);
                g.setColor(Color.BLACK);
                String label = r.label();
                g.drawString(label, left - 8 - fm.stringWidth(label), y + barH / 2 + fm.getAscent() / 2 - 2);
                g.drawString(String.format(Locale.ROOT, "%,.0f", r.eventsPerCpuS()), left + w + 6,
                        y + barH / 2 + fm.getAscent() / 2 - 2);
            }
            g.setStroke(new BasicStroke(1));
            g.drawLine(left, top - 4, left, top + runs.size() * (barH + gap) - gap + 4);
        } finally {
            g.dispose();
        }
        if (!ImageIO.write(img, "png", file.toFile())) {
            throw new IOException("no PNG writer");
        }
    }
}
