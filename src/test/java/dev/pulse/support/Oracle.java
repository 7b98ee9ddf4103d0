package dev.pulse.support;

import dev.pulse.Metrics;
import dev.pulse.events.StreamName;
import dev.pulse.metric.SinkTable;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Loads a replay folder's raw lines into PostgreSQL and runs the plain-SQL oracle queries over them. */
public final class Oracle {
    private Oracle() {}

    public static String sql(String name) {
        try (InputStream in = Oracle.class.getClassLoader().getResourceAsStream("oracle/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lines the dataset writer made malformed, as {@code path:line}. */
    public static Set<String> malformed(Path dir) throws IOException {
        return new HashSet<>(Files.readAllLines(dir.resolve("malformed.txt")));
    }

    /**
     * Every record line of the folder, numbered as a JSONL reader must: lines end at LF only (one CR before it is
     * dropped), a line of JSON whitespace holds no record. Bytes that are not UTF-8 (only in malformed lines) are
     * replaced; NUL is stored as U+FFFD.
     */
    public static void load(Path dir) throws IOException, SQLException {
        TestPostgres.execute(sql("raw_events.sql"));
        Set<String> malformed = malformed(dir);
        try (Connection c = TestPostgres.connect()) {
            c.setAutoCommit(false);
            try (PreparedStatement ps = c.prepareStatement(
                    "INSERT INTO oracle.raw_events (stream, source, line, malformed) VALUES (?, ?, ?, ?)")) {
                int batched = 0;
                for (StreamName stream : StreamName.values()) {
                    Path file = dir.resolve(stream.fileName()).toAbsolutePath().normalize();
                    if (!Files.exists(file)) {
                        continue;
                    }
                    byte[] bytes = Files.readAllBytes(file);
                    int n = 0;
                    for (int start = 0; start < bytes.length; ) {
                        int end = start;
                        while (end < bytes.length && bytes[end] != '\n') {
                            end++;
                        }
                        int len = end - start;
                        if (len > 0 && bytes[start + len - 1] == '\r') {
                            len--;
                        }
                        String line = new String(bytes, start, len, StandardCharsets.UTF_8);
                        start = end + 1;
                        String source = file + ":" + (++n);
                        if (line.chars().allMatch(ch -> ch == ' ' || ch == '\t' || ch == '\r')) {
                            continue;
                        }
                        ps.setString(1, stream.label());
                        ps.setString(2, source);
                        ps.setString(3, line.replace('\0', '\uFFFD'));
                        ps.setBoolean(4, malformed.contains(source));
                        ps.addBatch();
                        if (++batched % 5000 == 0) {
                            ps.executeBatch();
                        }
                    }
                }
                ps.executeBatch();
            }
            c.commit();
        }
    }

    /** The metric tables, as registered ({@link Metrics}). */
    public static final List<String> TABLES = Metrics.tables().stream().map(SinkTable::name).toList();

    /**
     * The fewest rows a table's oracle must give on a test dataset for the comparison to mean something: retention
     * has one row per cohort day, which a dataset of minutes has one or two of.
     */
    public static int minimumRows(String table) {
        return table.equals("retention") ? 1 : 8;
    }

    /** The queries of {@code sink_tables.sql} by table: each follows a line {@code -- table: NAME}. */
    public static Map<String, String> sinkTableQueries() {
        Map<String, String> queries = new LinkedHashMap<>();
        String table = null;
        for (String line : sql("sink_tables.sql").split("\n")) {
            if (line.startsWith("-- table: ")) {
                table = line.substring("-- table: ".length()).trim();
                queries.put(table, "");
            } else if (table != null) {
                queries.merge(table, line + "\n", String::concat);
            }
        }
        return queries;
    }

    /** Points the oracle's event views at the job's {@code late_events} in {@code schema}. */
    public static void prepare(String schema) throws SQLException {
        TestPostgres.execute(sql("events.sql").replace("${SCHEMA}", schema));
    }

    /** The table computed by plain SQL from the raw events; placeholders as {@code ${NAME}}. */
    public static List<String> expected(String table, java.util.Map<String, String> placeholders) throws SQLException {
        String query = sql(table + ".sql");
        for (var p : placeholders.entrySet()) {
            query = query.replace("${" + p.getKey() + "}", p.getValue());
        }
        return TestPostgres.rows(query);
    }

    /** The table as the job wrote it into {@code schema}, in the oracle's format. */
    public static List<String> actual(String table, String schema) throws SQLException {
        String query = sinkTableQueries().get(table);
        assertThat(query).as("query of " + table + " in sink_tables.sql").isNotNull();
        return TestPostgres.rows(query.replace("${SCHEMA}", schema));
    }

    /**
     * Every metric table of {@code schema} equals the oracle row by row and holds only final rows; the dead letters
     * are exactly the malformed lines (one row each, whatever re-reads a restart caused). The raw events must be loaded.
     */
    public static void assertEveryTableExact(String schema, java.util.Map<String, String> placeholders) throws SQLException {
        prepare(schema);
        for (String table : TABLES) {
            List<String> expected = expected(table, placeholders);
            assertThat(expected).as(table + " oracle").hasSizeGreaterThanOrEqualTo(minimumRows(table));
            assertThat(actual(table, schema)).as(table).containsExactlyElementsOf(expected);
            assertThat(TestPostgres.count("SELECT count(*) FROM " + schema + "." + table + " WHERE NOT is_final"))
                    .as(table + " rows not final").isZero();
        }
        assertThat(TestPostgres.rows("SELECT stream, payload FROM " + schema + ".dead_letters ORDER BY 1, 2"))
                .as("dead letters")
                .isEqualTo(TestPostgres.rows("SELECT stream, line FROM oracle.raw_events WHERE malformed ORDER BY 1, 2"));
    }
}
