package dev.pulse;

import dev.pulse.metric.Column;
import dev.pulse.metric.SinkTable;
import dev.pulse.orders.OrderMetricRow;
import dev.pulse.orders.OrderMetrics;
import dev.pulse.support.Oracle;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registered metric tables ({@link Metrics}), the DDL under {@code sql/postgres/} and the test oracle agree, so a
 * step forgotten when adding a metric fails here, in a second, not in an end-to-end run.
 */
class MetricTablesTest {
    /** Tables of what was set aside, written by inserts of their own rather than by a metric's upsert. */
    private static final List<String> SET_ASIDE_TABLES = List.of("late_events", "dead_letters");
    private static final Pattern CREATE_TABLE =
            Pattern.compile("CREATE TABLE IF NOT EXISTS (\\w+) \\((.*?)\\n\\);", Pattern.DOTALL);
    private static final Pattern PRIMARY_KEY = Pattern.compile("PRIMARY KEY \\(([^)]*)\\)");

    private record Ddl(List<String> columns, List<String> primaryKey) {}

    /** Every CREATE TABLE of the DDL files: its columns in order and its primary key. */
    private static Map<String, Ddl> ddl() throws IOException {
        Map<String, Ddl> tables = new LinkedHashMap<>();
        List<Path> files;
        try (Stream<Path> listed = Files.list(Path.of("sql/postgres"))) {
            files = listed.filter(p -> p.toString().endsWith(".sql")).sorted().toList();
        }
        for (Path file : files) {
            Matcher m = CREATE_TABLE.matcher(Files.readString(file));
            while (m.find()) {
                List<String> columns = new ArrayList<>();
                List<String> key = List.of();
                for (String line : m.group(2).split("\\n")) {
                    String def = line.trim();
                    Matcher pk = PRIMARY_KEY.matcher(def);
                    if (pk.lookingAt()) {
                        key = List.of(pk.group(1).split(",\\s*"));
                    } else if (!def.isEmpty() && !def.startsWith("UNIQUE") && !def.startsWith("--")) {
                        columns.add(def.split("\\s+")[0]);
                    }
                }
                tables.put(m.group(1), new Ddl(columns, key));
            }
        }
        return tables;
    }

    private static List<String> names(List<? extends Column<?>> columns) {
        return columns.stream().map(Column::name).toList();
    }

    @Test
    void everyTableTheDdlCreatesIsARegisteredMetricTableOrASetAsideTable() throws IOException {
        List<String> metricTables = new ArrayList<>(ddl().keySet());
        metricTables.removeAll(SET_ASIDE_TABLES);
        assertThat(Oracle.TABLES).as("registered metric tables").containsExactlyInAnyOrderElementsOf(metricTables);
    }

    @Test
    void everyColumnOfADescriptorIsAColumnOfItsTableAndItsKeyIsThePrimaryKey() throws IOException {
        Map<String, Ddl> ddl = ddl();
        for (SinkTable<?> table : Metrics.tables()) {
            Ddl created = ddl.get(table.name());
            assertThat(created).as(table.name() + " in sql/postgres/").isNotNull();
            assertThat(created.columns()).as(table.name() + " columns")
                    .containsAll(names(table.columns())).contains("updated_at");
            assertThat(names(table.key())).as(table.name() + " primary key")
                    .containsExactlyElementsOf(created.primaryKey());
            List<String> written = new ArrayList<>(names(table.columns()));
            written.add("updated_at");
            assertThat(written).as(table.name() + ": every column of the table is written")
                    .containsExactlyInAnyOrderElementsOf(created.columns());
        }
    }

    @Test
    void everyMetricTableHasAnOracleQueryAndASinkTableQueryOverItsColumns() {
        Map<String, String> sinkQueries = Oracle.sinkTableQueries();
        assertThat(sinkQueries.keySet()).as("tables of sink_tables.sql").containsExactlyInAnyOrderElementsOf(Oracle.TABLES);
        for (SinkTable<?> table : Metrics.tables()) {
            String query = sinkQueries.get(table.name());
            assertThat(query).as(table.name() + " query in sink_tables.sql").contains("FROM ${SCHEMA}." + table.name() + " ");
            for (String column : names(table.columns())) {
                if (!column.equals("is_final")) {
                    assertThat(query).as(table.name() + " query reads " + column).containsPattern("\\b" + column + "\\b");
                }
            }
            assertThat(Oracle.class.getClassLoader().getResource("oracle/" + table.name() + ".sql"))
                    .as("oracle/" + table.name() + ".sql, the table in plain SQL").isNotNull();
        }
    }

    @Test
    void theReadmeListsEveryTableOfTheDdl() throws IOException {
        String readme = Files.readString(Path.of("README.md"));
        String tables = readme.substring(readme.indexOf("## Tables for BI"), readme.indexOf("## How it works"));
        for (String table : ddl().keySet()) {
            assertThat(tables).as("README, Tables for BI").contains("| `" + table + "` |");
        }
    }

    @Test
    void theUpsertTakesTheNewValuesAndKeepsAFinalRowFinal() {
        assertThat(OrderMetrics.TABLE.upsertSql()).isEqualTo("INSERT INTO order_metrics AS t (grain, window_start, "
                + "region, city, window_end, orders, gmv, avg_order_value, items, unique_buyers, cancelled_orders, "
                + "cancelled_amount, is_final, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
                + "ON CONFLICT (grain, window_start, region, city) DO UPDATE SET window_end = EXCLUDED.window_end, "
                + "orders = EXCLUDED.orders, gmv = EXCLUDED.gmv, avg_order_value = EXCLUDED.avg_order_value, "
                + "items = EXCLUDED.items, unique_buyers = EXCLUDED.unique_buyers, "
                + "cancelled_orders = EXCLUDED.cancelled_orders, cancelled_amount = EXCLUDED.cancelled_amount, "
                + "is_final = t.is_final OR EXCLUDED.is_final, updated_at = EXCLUDED.updated_at");
        for (SinkTable<?> table : Metrics.tables()) {
            assertThat(table.upsertSql()).as(table.name()).contains(SinkTable.STICKY_FINAL).endsWith("updated_at = EXCLUDED.updated_at");
        }
    }

    @Test
    void theRowCountersAndSinkUidsKeepTheirReleasedNames() {
        assertThat(Metrics.rowCounters()).containsExactly("orderMetricsRows", "gmvSlidingRows", "topProductsRows",
                "funnelMetricsRows", "sessionFunnelRows", "paymentMetricsRows", "activeUsersRows", "retentionRows",
                "pathTransitionsRows");
        assertThat(Metrics.tables()).extracting(SinkTable::sinkUid).containsExactly("order-metrics-sink",
                "gmv-sliding-sink", "top-products-sink", "funnel-metrics-sink", "session-funnel-sink",
                "payment-metrics-sink", "active-users-sink", "retention-sink", "path-transitions-sink");
    }

    @Test
    void theBatchKeyOfARowIsItsPrimaryKeyValues() {
        OrderMetricRow row = orderRow("7.50");
        assertThat(OrderMetrics.TABLE.primaryKey(row)).isEqualTo(List.of("1m", 60_000L, "EU", "*"));
    }

    @Test
    void rowsWithTheSameValuesAreEqualAndAnyDifferentValueMakesThemDiffer() {
        assertThat(orderRow("7.50")).isEqualTo(orderRow("7.50")).hasSameHashCodeAs(orderRow("7.50"));
        assertThat(orderRow("7.50")).isNotEqualTo(orderRow("7.51"));
        OrderMetricRow finalRow = orderRow("7.50");
        finalRow.isFinal = true;
        assertThat(orderRow("7.50")).isNotEqualTo(finalRow);
        assertThat(finalRow.toString()).contains("gmv=7.50", "isFinal=true", "region=EU");
    }

    private static OrderMetricRow orderRow(String gmv) {
        OrderMetricRow row = new OrderMetricRow();
        row.grain = "1m";
        row.windowStart = 60_000L;
        row.windowEnd = 120_000L;
        row.region = "EU";
        row.city = "*";
        row.orders = 1;
        row.gmv = new BigDecimal(gmv);
        row.cancelledAmount = BigDecimal.ZERO;
        return row;
    }
}
