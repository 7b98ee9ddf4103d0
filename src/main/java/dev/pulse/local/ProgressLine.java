package dev.pulse.local;

import dev.pulse.events.StreamName;

import java.util.List;
import java.util.Locale;

/** The one-line progress of a local run, from Pulse's Flink counters. */
public final class ProgressLine {
    private ProgressLine() {}

    /** The line now; {@code rowCounters}: the sinks' counters of rows upserted, one per metric table. */
    public static String now(List<String> rowCounters) {
        StringBuilder sb = new StringBuilder("events in:");
        long dead = 0;
        long late = 0;
        long dupes = 0;
        for (StreamName s : StreamName.values()) {
            sb.append(String.format(Locale.ROOT, " %s %,d", s.label(), ProgressReporter.total(s.label() + "In")));
            dead += ProgressReporter.total(s.label() + "DeadLetters");
            late += ProgressReporter.total(s.label() + "Late");
            dupes += ProgressReporter.total(s.label() + "Duplicates");
        }
        long rows = 0;
        for (String table : rowCounters) {
            rows += ProgressReporter.total(table);
        }
        return sb.append(String.format(Locale.ROOT,
                " | re-deliveries dropped %,d | dead letters %,d | late events %,d | rows upserted %,d",
                dupes, dead, late, rows)).toString();
    }
}
