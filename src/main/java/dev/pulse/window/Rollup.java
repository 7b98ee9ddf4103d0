package dev.pulse.window;

/** The rollup level "all" of a dimension (region, city, device, method) in every table: {@code *}. */
public final class Rollup {
    public static final String ALL = "*";

    private Rollup() {}
}
