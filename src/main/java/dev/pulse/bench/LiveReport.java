package dev.pulse.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The live half of {@code bin/pulse-bench}: from the samples the script took ({@code live-heap.tsv}: seconds,
 * heap in use after a full GC in MB, RSS in MB, RocksDB's working files in MB, events read so far) and the job's log (Flink's "Completed checkpoint N ... (B bytes,
 * checkpointDuration=D ms" lines), prints a summary and writes {@code live.json}: the heap curve, its slope over the
 * second half of the run (least squares, MB per minute), peak RSS, the events read per second and the growth of the
 * files on disk over the second half, and checkpoint sizes and durations.
 * <pre>  LiveReport DIR PULSE_LOG</pre>
 */
public final class LiveReport {
    private static final Pattern CHECKPOINT =
            Pattern.compile("Completed checkpoint (\\d+) for job \\S+ \\((\\d+) bytes, checkpointDuration=(\\d+) ms");

    private LiveReport() {}

    /** One sample. */
    public record Sample(double seconds, double heapMb, double rssMb, double stateDiskMb, double eventsIn) {}

    /** One completed checkpoint. */
    public record Checkpoint(long id, long bytes, long durationMs) {}

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: LiveReport DIR PULSE_LOG");
            System.exit(2);
        }
        Path dir = Path.of(args[0]);
        List<Sample> samples = samples(Files.readAllLines(dir.resolve("live-heap.tsv")));
        Path log = Path.of(args[1]);
        List<Checkpoint> checkpoints = Files.exists(log) ? checkpoints(Files.readAllLines(log)) : List.of();
        report(samples, checkpoints, System.out);
        write(dir.resolve("live.json"), samples, checkpoints);
        if (samples.isEmpty()) {
            System.err.println("pulse-bench: the live run gave no heap sample");
            System.exit(1);
        }
    }

    static List<Sample> samples(List<String> lines) {
        List<Sample> out = new ArrayList<>();
        for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
            String[] f = line.split("\t");
            if (f.length == 3 || f.length == 5) {
                out.add(new Sample(Double.parseDouble(f[0]), Double.parseDouble(f[1]), Double.parseDouble(f[2]),
                        f.length == 5 ? Double.parseDouble(f[3]) : 0, f.length == 5 ? Double.parseDouble(f[4]) : 0));
            }
        }
        return out;
    }

    static List<Checkpoint> checkpoints(List<String> lines) {
        List<Checkpoint> out = new ArrayList<>();
        for (String line : lines) {
            Matcher m = CHECKPOINT.matcher(line);
            if (m.find()) {
                out.add(new Checkpoint(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), Long.parseLong(m.group(3))));
            }
        }
        return out;
    }

    /** Least-squares slope of heap over time, in MB per minute, over the samples of the second half of the run. */
    static double slopeMbPerMinute(List<Sample> samples) {
        return slopePerMinute(samples, Sample::heapMb);
    }

    /** Least-squares slope of {@code value} per minute over the samples of the second half of the run. */
    static double slopePerMinute(List<Sample> samples, java.util.function.ToDoubleFunction<Sample> value) {
        if (samples.isEmpty()) {
            return Double.NaN;
        }
        double end = samples.get(samples.size() - 1).seconds();
        List<Sample> half = samples.stream().filter(s -> s.seconds() >= end / 2).toList();
        if (half.size() < 2) {
            return Double.NaN;
        }
        double mx = half.stream().mapToDouble(Sample::seconds).average().orElse(0);
        double my = half.stream().mapToDouble(value).average().orElse(0);
        double num = 0, den = 0;
        for (Sample s : half) {
            num += (s.seconds() - mx) * (value.applyAsDouble(s) - my);
            den += (s.seconds() - mx) * (s.seconds() - mx);
        }
        return den == 0 ? Double.NaN : num / den * 60;
    }

    /** The p-th percentile (nearest rank) of {@code values}. */
    static long percentile(List<Long> values, double p) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        int rank = (int) Math.ceil(p / 100 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static void report(List<Sample> samples, List<Checkpoint> checkpoints, PrintStream out) {
        out.println();
        out.println("live run: heap in use after a full GC (MB), RSS (MB), RocksDB files (MB), events read");
        out.println("| s | heap after GC MB | RSS MB | RocksDB files MB | events read |");
        out.println("|---|---|---|---|---|");
        for (Sample s : samples) {
            out.printf(Locale.ROOT, "| %.0f | %.0f | %.0f | %.0f | %.0f |%n", s.seconds(), s.heapMb(), s.rssMb(),
                    s.stateDiskMb(), s.eventsIn());
        }
        out.printf(Locale.ROOT, "second half: heap %.1f MB/min, RocksDB files %.1f MB/min, %.0f events/s read; "
                        + "peak RSS %.0f MB%n", slopeMbPerMinute(samples), slopePerMinute(samples, Sample::stateDiskMb),
                slopePerMinute(samples, Sample::eventsIn) / 60, samples.stream().mapToDouble(Sample::rssMb).max().orElse(0));
        List<Long> bytes = checkpoints.stream().map(Checkpoint::bytes).toList();
        List<Long> ms = checkpoints.stream().map(Checkpoint::durationMs).toList();
        out.printf(Locale.ROOT, "checkpoints: %d completed; size p50 %.1f MB, max %.1f MB; duration p50 %d ms, p99 %d ms, "
                        + "max %d ms%n", checkpoints.size(), percentile(bytes, 50) / 1e6, percentile(bytes, 100) / 1e6,
                percentile(ms, 50), percentile(ms, 99), percentile(ms, 100));
    }

    static void write(Path file, List<Sample> samples, List<Checkpoint> checkpoints) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode root = json.createObjectNode();
        root.put("heap_slope_mb_per_min_second_half", slopeMbPerMinute(samples));
        root.put("state_disk_slope_mb_per_min_second_half", slopePerMinute(samples, Sample::stateDiskMb));
        root.put("events_per_s_second_half", slopePerMinute(samples, Sample::eventsIn) / 60);
        ArrayNode heap = root.putArray("heap");
        for (Sample s : samples) {
            heap.addObject().put("s", s.seconds()).put("heap_after_gc_mb", s.heapMb()).put("rss_mb", s.rssMb())
                    .put("state_disk_mb", s.stateDiskMb()).put("events_in", s.eventsIn());
        }
        ArrayNode cps = root.putArray("checkpoints");
        for (Checkpoint c : checkpoints) {
            cps.addObject().put("id", c.id()).put("bytes", c.bytes()).put("duration_ms", c.durationMs());
        }
        Files.writeString(file, json.writeValueAsString(root) + "\n", StandardCharsets.UTF_8);
    }
}
