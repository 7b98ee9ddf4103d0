package dev.pulse.window;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Objects;
import java.util.StringJoiner;

/**
 * What every metric row has: its window's bounds (epoch ms, end exclusive) and whether the watermark has passed the
 * window's end. Rows are Flink POJOs (public fields, no-argument constructor); equality, hash and text are over all
 * their public fields, so a new row class gets them without writing them.
 */
public abstract class WindowRow {
    public long windowStart;
    public long windowEnd;
    /** True once the watermark has passed the window's end. */
    public boolean isFinal;

    private Field[] fields() {
        Field[] fields = Arrays.stream(getClass().getFields())
                .filter(f -> !Modifier.isStatic(f.getModifiers())).toArray(Field[]::new);
        Arrays.sort(fields, Comparator.comparing(Field::getName));
        return fields;
    }

    private Object[] values() {
        Field[] fields = fields();
        Object[] values = new Object[fields.length];
        try {
            for (int i = 0; i < fields.length; i++) {
                values[i] = fields[i].get(this);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return this == o || (o != null && o.getClass() == getClass() && Arrays.equals(values(), ((WindowRow) o).values()));
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values());
    }

    @Override
    public String toString() {
        StringJoiner s = new StringJoiner(", ", getClass().getSimpleName() + "{", "}");
        Field[] fields = fields();
        Object[] values = values();
        for (int i = 0; i < fields.length; i++) {
            s.add(fields[i].getName() + "=" + Objects.toString(values[i]));
        }
        return s.toString();
    }
}
