package dev.pulse.source;

import dev.pulse.config.Durations;
import dev.pulse.events.StreamName;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes a replay folder from the {@link EventGenerator}: {@code orders.jsonl}, {@code behavior.jsonl},
 * {@code payments.jsonl}, plus {@code malformed.txt} listing the {@code file:line} of every malformed record
 * (what {@code dead_letters} must hold). Usage:
 * {@code DatasetWriter --out DIR [--seed 7] [--rate 50] [--duration 20min] [--start 2025-10-03T00:00:00Z]
 * [--disorder-share 0.10] [--duplicate-share 0.02] [--malformed-share 0.005] [--late-share 0.0]
 * [--repeat-share 0.02]}.
 */
public final class DatasetWriter {
    public static final Instant DEFAULT_START = Instant.parse("2025-10-03T00:00:00Z");

    private DatasetWriter() {}

    /** Writes the folder; returns the number of records written per stream, in {@link StreamName} order. */
    public static long[] write(Path dir, EventGenerator generator, Duration span) throws IOException {
        Files.createDirectories(dir);
        long[] counts = new long[StreamName.values().length];
        List<String> malformed = new ArrayList<>();
        for (StreamName stream : StreamName.values()) {
            Path file = dir.resolve(stream.fileName());
            long n = generator.count(stream, span);
            try (Writer out = new BufferedWriter(Files.newBufferedWriter(file, StandardCharsets.UTF_8), 1 << 16)) {
                for (long i = 0; i < n; i++) {
                    out.write(generator.line(stream, i));
                    out.write('\n');
                    if (generator.isMalformed(stream, i)) {
                        malformed.add(file.toAbsolutePath().normalize() + ":" + (i + 1));
                    }
                }
            }
            counts[stream.ordinal()] = n;
        }
        Files.write(dir.resolve("malformed.txt"), malformed, StandardCharsets.UTF_8);
        return counts;
    }

    public static void main(String[] args) throws IOException {
        Path out = null;
        long seed = 7;
        double rate = 50;
        Duration span = Duration.ofMinutes(20);
        Instant start = DEFAULT_START;
        EventGenerator.Faults standard = EventGenerator.Faults.standard();
        double disorder = standard.disorderShare();
        double duplicates = standard.duplicateShare();
        double malformed = standard.malformedShare();
        double lateShare = 0;
        double repeats = standard.repeatShare();
        for (int i = 0; i + 1 < args.length; i += 2) {
            String v = args[i + 1];
            switch (args[i]) {
                case "--out": out = Path.of(v); break;
                case "--seed": seed = Long.parseLong(v); break;
                case "--rate": rate = Double.parseDouble(v); break;
                case "--duration": span = Durations.parse(v); break;
                case "--start": start = Instant.parse(v); break;
                case "--late-share": lateShare = Double.parseDouble(v); break;
                case "--disorder-share": disorder = Double.parseDouble(v); break;
                case "--duplicate-share": duplicates = Double.parseDouble(v); break;
                case "--malformed-share": malformed = Double.parseDouble(v); break;
                case "--repeat-share": repeats = Double.parseDouble(v); break;
                default:
                    System.err.println(args[i] + ": unknown option; use --out --seed --rate --duration --start "
                            + "--disorder-share --duplicate-share --malformed-share --late-share --repeat-share");
                    System.exit(2);
            }
        }
        if (out == null) {
            System.err.println("--out: required; name the folder to write the dataset into");
            System.exit(2);
        }
        EventGenerator.Faults faults = new EventGenerator.Faults(disorder, standard.maxDisorder(), duplicates, malformed,
                lateShare, Duration.ofMinutes(5), repeats);
        long[] counts = write(out, new EventGenerator(seed, rate, start.toEpochMilli(), faults), span);
        System.out.printf("wrote %s: orders %d, behavior %d, payments %d records%n", out, counts[0], counts[1], counts[2]);
    }
}
