package dev.pulse.bench;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Locale;
import java.util.Map;

/** The table printed at the end (Markdown, as the README shows it). */
final class Report {
    private Report() {}

    static String table(Map<String, Map<String, Latencies>> results, BenchOptions o, String driver, JsonNode json) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%d clients, %s s per query after %s s warm-up, driver %s; p50 / p99 / max in ms, "
                + "queries per second%n%n", o.clients(), fmt(o.seconds()), fmt(o.warmup()), driver));
        sb.append("| query |");
        for (String d : BiBench.designNames()) {
            sb.append(" ").append(d).append(" p50 / p99 / max | ").append(d).append(" q/s |");
        }
        sb.append("\n|---|");
        for (int i = 0; i < BiBench.designNames().size(); i++) {
            sb.append("---:|---:|");
        }
        sb.append("\n");
        for (Map.Entry<String, Map<String, Latencies>> q : results.entrySet()) {
            sb.append("| ").append(q.getKey()).append(" |");
            for (String d : BiBench.designNames()) {
                Latencies l = q.getValue().get(d);
                if (l == null) {
                    sb.append(" - | - |");
                    continue;
                }
                sb.append(String.format(Locale.ROOT, " %s / %s / %s | %s |", ms(l.percentileMs(50)), ms(l.percentileMs(99)),
                        ms(l.maxMs()), l.count() == 0 ? "0" : fmtRate(l.perSecond())));
                if (l.errors() > 0) {
                    sb.setLength(sb.length() - 1);
                    sb.append(" (").append(l.errors()).append(" errors) |");
                }
            }
            sb.append("\n");
        }
        JsonNode refresh = json.path("mv_refresh");
        if (!refresh.isMissingNode()) {
            sb.append(String.format(Locale.ROOT, "%nmaterialized views: %d refreshes during their clients' runs, durations %s ms%n",
                    refresh.path("refreshes").asInt(), refresh.path("duration_ms")));
        }
        return sb.toString();
    }

    static String ms(double v) {
        if (Double.isNaN(v)) {
            return "-";
        }
        if (v < 10) {
            return String.format(Locale.ROOT, "%.2f", v);
        }
        if (v < 100) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%,.0f", v);
    }

    private static String fmtRate(double v) {
        return v < 10 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%,.0f", v);
    }

    static String fmt(double v) {
        return v == Math.rint(v) ? Long.toString((long) v) : Double.toString(v);
    }
}
