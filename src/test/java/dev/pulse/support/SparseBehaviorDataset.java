package dev.pulse.support;

import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.StreamName;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A seeded behaviour-only dataset over many days, for the metrics that span days (active users per day, retention,
 * paths): users first seen on different days who come back on later ones (day 1, 7, 30 among them), sessions with
 * gaps around the session gap, events of one user at the same instant (ties ordered by event id), and the faults:
 * disorder within the allowed lateness, events far beyond it, re-deliveries, malformed lines, and users whose
 * earliest event arrives after the watermark passed midnight (a late event within lateness that moves the user to
 * an earlier cohort). Written in arrival order into {@code behavior.jsonl}, malformed lines in {@code malformed.txt}.
 */
public final class SparseBehaviorDataset {
    private static final long MINUTE = 60_000L;
    private static final long DAY = 86_400_000L;
    private static final String[] DEVICES = {"desktop", "mobile", "tablet", "other"};

    private record Line(long arrival, int order, String text, boolean malformed) {}

    private SparseBehaviorDataset() {}

    /** Writes the folder; returns the number of lines. */
    public static int write(Path dir, long seed, int users, int days, Instant start, Duration sessionGap)
            throws IOException {
        SplittableRandom r = new SplittableRandom(seed);
        long t0 = start.toEpochMilli();
        List<Line> lines = new ArrayList<>();
        List<String> wellFormed = new ArrayList<>();
        int[] next = {0};
        for (int u = 1; u <= users; u++) {
            long user = 1000 + u;
            int firstDay = r.nextInt(days);
            List<Integer> activeDays = new ArrayList<>(List.of(firstDay));
            for (int k : new int[] {1, 7, 30, 2 + r.nextInt(5), 8 + r.nextInt(20)}) {
                if (firstDay + k < days && r.nextDouble() < 0.45) {
                    activeDays.add(firstDay + k);
                }
            }
            boolean midnightMover = r.nextDouble() < 0.08 && firstDay > 0;
            for (int d : activeDays) {
                long day = t0 + d * DAY;
                int sessions = 1 + r.nextInt(3);
                long t = day + r.nextLong(DAY - 4 * 3_600_000L);
                if (midnightMover && d == firstDay) {
                    t = day + 20_000 + r.nextLong(20_000); // 00:00:20-00:00:40 ...
                    long early = day - 5_000 - r.nextLong(10_000); // ... and 23:59:45-55 the day before, arriving after
                    add(lines, wellFormed, next, user, early, t + 3_000, "page_view", r);
                }
                for (int s = 0; s < sessions; s++) {
                    int events = 1 + r.nextInt(6);
                    for (int e = 0; e < events; e++) {
                        double roll = r.nextDouble();
                        long arrival = t;
                        if (roll < 0.12) {
                            arrival = t + 1 + r.nextLong(40_000);                 // disorder within lateness
                        } else if (roll < 0.15) {
                            arrival = t + 5 * MINUTE + r.nextLong(5 * MINUTE);   // far beyond lateness
                        }
                        add(lines, wellFormed, next, user, t, arrival, pick(r), r);
                        if (r.nextDouble() < 0.05) {                               // same instant, another event
                            add(lines, wellFormed, next, user, t, arrival + 1, pick(r), r);
                        }
                        long step = r.nextDouble() < 0.1 ? sessionGap.toMillis() : 1_000 + r.nextLong(12 * MINUTE);
                        t += step; // sometimes exactly one gap: still one session
                    }
                    t += sessionGap.toMillis() + 1 + r.nextLong(3 * 3_600_000L); // the next session
                }
            }
        }
        // Re-deliveries and malformed lines, arriving a little after an original.
        int originals = wellFormed.size();
        for (int i = 0; i < originals / 40; i++) {
            Line of = lines.get(r.nextInt(lines.size()));
            lines.add(new Line(of.arrival() + r.nextLong(20_000), next[0]++, of.text(), of.malformed()));
        }
        String[] junk = {"{\"event_id\": \"x\"", "not json", "{\"event_id\":\"m1\",\"event_time\":\"yesterday\","
                + "\"user_id\":1,\"event_type\":\"page_view\"}", "{\"event_id\":\"m2\",\"event_time\":1759480000000,"
                + "\"user_id\":\"12.5\",\"event_type\":\"page_view\"}",
                "{\"event_id\":\"m3\",\"event_time\":1759480000000,\"user_id\":1,\"event_type\":\"teleport\"}"};
        for (int i = 0; i < junk.length * 3; i++) {
            Line of = lines.get(r.nextInt(lines.size()));
            lines.add(new Line(of.arrival() + 1, next[0]++, junk[i % junk.length], true));
        }
        lines.sort(Comparator.comparingLong(Line::arrival).thenComparingInt(Line::order));

        Files.createDirectories(dir);
        Path file = dir.resolve(StreamName.BEHAVIOR.fileName());
        List<String> text = new ArrayList<>();
        List<String> malformed = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            text.add(lines.get(i).text());
            if (lines.get(i).malformed()) {
                malformed.add(file.toAbsolutePath().normalize() + ":" + (i + 1));
            }
        }
        Files.write(file, text, StandardCharsets.UTF_8);
        Files.write(dir.resolve("malformed.txt"), malformed, StandardCharsets.UTF_8);
        return text.size();
    }

    private static String pick(SplittableRandom r) {
        return BehaviorEvent.EVENT_TYPES.get(r.nextInt(BehaviorEvent.EVENT_TYPES.size()));
    }

    private static void add(List<Line> lines, List<String> wellFormed, int[] next, long user, long time, long arrival,
                            String type, SplittableRandom r) {
        String id = "e" + Long.toString(r.nextLong() & Long.MAX_VALUE, 36);
        String when = r.nextBoolean() ? Long.toString(time) : "\"" + Instant.ofEpochMilli(time) + "\"";
        String json = "{\"event_id\":\"" + id + "\",\"event_time\":" + when + ",\"user_id\":" + user
                + ",\"event_type\":\"" + type + "\",\"device_type\":\"" + DEVICES[r.nextInt(DEVICES.length)]
                + "\",\"session_id\":\"s" + user + "\"}";
        wellFormed.add(json);
        lines.add(new Line(arrival, next[0]++, json, false));
    }
}
