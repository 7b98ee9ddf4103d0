package dev.pulse.metric;

import dev.pulse.window.WindowRow;

import org.apache.flink.streaming.api.datastream.DataStream;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One metric table, described once: its name, its primary key and value columns (each with how a row fills it)
 * and its row type. The upsert statement, the sink's binder and key, the row counter, the sink operator's uid and
 * name, the progress line and the tests' table lists all derive from it. Every metric table ends with the sticky
 * {@code is_final} column (a row once final stays final), added here so no table can forget it.
 */
public final class SinkTable<T extends WindowRow> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The upsert's assignment of is_final: a row once final stays final (see {@code PostgresSinks}). */
    public static final String STICKY_FINAL = "is_final = t.is_final OR EXCLUDED.is_final";

    private final String name;
    private final Class<T> rowType;
    private final List<Column<T>> key;
    private final List<Column<T>> values;

    private SinkTable(String name, Class<T> rowType, List<Column<T>> key, List<Column<T>> values) {
        this.name = name;
        this.rowType = rowType;
        this.key = List.copyOf(key);
        List<Column<T>> all = new ArrayList<>(values);
        all.add(Column.bool("is_final", r -> r.isFinal));
        this.values = List.copyOf(all);
    }

    /** A table with these primary key columns and these value columns ({@code is_final} is added). */
    public static <T extends WindowRow> SinkTable<T> of(String name, Class<T> rowType, List<Column<T>> key,
                                                        List<Column<T>> values) {
        return new SinkTable<>(name, rowType, key, values);
    }

    public String name() {
        return name;
    }

    public Class<T> rowType() {
        return rowType;
    }

    public List<Column<T>> key() {
        return key;
    }

    /** The value columns, {@code is_final} last. */
    public List<Column<T>> values() {
        return values;
    }

    /** Key columns, then value columns: the statement's parameters in order. */
    public List<Column<T>> columns() {
        List<Column<T>> all = new ArrayList<>(key);
        all.addAll(values);
        return all;
    }

    /** The sink's counter of rows written, e.g. {@code order_metrics} → {@code orderMetricsRows}. */
    public String rowsMetric() {
        StringBuilder camel = new StringBuilder();
        for (String part : name.split("_")) {
            camel.append(camel.length() == 0 ? part : part.substring(0, 1).toUpperCase(Locale.ROOT) + part.substring(1));
        }
        return camel.append("Rows").toString();
    }

    /** The sink operator's uid, e.g. {@code order-metrics-sink}: savepoints know it, it never changes. */
    public String sinkUid() {
        return name.replace('_', '-') + "-sink";
    }

    /**
     * {@code INSERT INTO name AS t (key, values, updated_at) VALUES (?, ..., now()) ON CONFLICT (key) DO UPDATE SET
     * col = EXCLUDED.col, ...}, with {@link #STICKY_FINAL}; parameters: key columns, then values.
     */
    public String upsertSql() {
        List<String> columns = columns().stream().map(Column::name).toList();
        StringBuilder sql = new StringBuilder("INSERT INTO ").append(name).append(" AS t (")
                .append(String.join(", ", columns)).append(", updated_at) VALUES (")
                .append("?, ".repeat(columns.size())).append("now()) ON CONFLICT (")
                .append(String.join(", ", key.stream().map(Column::name).toList())).append(") DO UPDATE SET ");
        for (Column<T> v : values) {
            sql.append(v.name().equals("is_final") ? STICKY_FINAL : v.name() + " = EXCLUDED." + v.name()).append(", ");
        }
        return sql.append("updated_at = EXCLUDED.updated_at").toString();
    }

    /** Fills the parameters of {@link #upsertSql()} from a row. */
    public void bind(PreparedStatement ps, T row) throws SQLException {
        List<Column<T>> columns = columns();
        for (int i = 0; i < columns.size(); i++) {
            columns.get(i).bind(ps, i + 1, row);
        }
    }

    /** The row's primary key values, for keeping the last row per key in a batch. */
    public Object primaryKey(T row) {
        List<Object> values = new ArrayList<>(key.size());
        for (Column<T> c : key) {
            values.add(c.value(row));
        }
        return values;
    }

    /** Writes the stream into this table through {@code sinks}, as the operator {@link #sinkUid()}, "name upsert". */
    public void sink(DataStream<T> rows, TableSinks sinks) {
        rows.sinkTo(sinks.upsert(this)).uid(sinkUid()).name(name + " upsert");
    }

    @Override
    public String toString() {
        return name;
    }
}
