package dev.pulse.paths;

import dev.pulse.window.WindowRow;

import java.math.BigDecimal;

/** One row of {@code path_transitions}; primary key (window_start, from_event, to_event). */
public class PathTransitionRow extends WindowRow {
    public String fromEvent;
    public String toEvent;
    public long transitions;
    /** Mean seconds from the first event to the second, 2 decimal places; null when no transition is left. */
    public BigDecimal avgGapS;

    public PathTransitionRow() {}
}
