package dev.pulse.metric;

import java.io.Serializable;
import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.ZoneOffset;

/** One column of a sink table: its name, and how a row's value is read and bound to a statement parameter. */
public final class Column<T> implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Reads one value of a row; serializable, as the sink travels inside the job graph. */
    public interface Getter<T, V> extends Serializable {
        V get(T row);
    }

    private interface Setter extends Serializable {
        void set(PreparedStatement ps, int index, Object value) throws SQLException;
    }

    private final String name;
    private final Getter<T, ?> getter;
    private final Setter setter;

    private Column(String name, Getter<T, ?> getter, Setter setter) {
        this.name = name;
        this.getter = getter;
        this.setter = setter;
    }

    public static <T> Column<T> text(String name, Getter<T, String> getter) {
        return new Column<>(name, getter, (ps, i, v) -> ps.setString(i, (String) v));
    }

    public static <T> Column<T> bigint(String name, Getter<T, Long> getter) {
        return new Column<>(name, getter, (ps, i, v) -> ps.setLong(i, (Long) v));
    }

    public static <T> Column<T> integer(String name, Getter<T, Integer> getter) {
        return new Column<>(name, getter, (ps, i, v) -> ps.setInt(i, (Integer) v));
    }

    /** Exact decimal; a null value is SQL NULL. */
    public static <T> Column<T> numeric(String name, Getter<T, BigDecimal> getter) {
        return new Column<>(name, getter, (ps, i, v) -> {
            if (v == null) {
                ps.setNull(i, Types.NUMERIC);
            } else {
                ps.setBigDecimal(i, (BigDecimal) v);
            }
        });
    }

    /** A timestamptz from epoch milliseconds (UTC). */
    public static <T> Column<T> time(String name, Getter<T, Long> getter) {
        return new Column<>(name, getter,
                (ps, i, v) -> ps.setObject(i, Instant.ofEpochMilli((Long) v).atOffset(ZoneOffset.UTC)));
    }

    /** A date: the UTC day holding epoch milliseconds {@code getter} returns. */
    public static <T> Column<T> date(String name, Getter<T, Long> getter) {
        return new Column<>(name, getter,
                (ps, i, v) -> ps.setObject(i, Instant.ofEpochMilli((Long) v).atOffset(ZoneOffset.UTC).toLocalDate()));
    }

    public static <T> Column<T> bool(String name, Getter<T, Boolean> getter) {
        return new Column<>(name, getter, (ps, i, v) -> ps.setBoolean(i, (Boolean) v));
    }

    public String name() {
        return name;
    }

    public Object value(T row) {
        return getter.get(row);
    }

    void bind(PreparedStatement ps, int index, T row) throws SQLException {
        setter.set(ps, index, getter.get(row));
    }

    @Override
    public String toString() {
        return name;
    }
}
