package dev.pulse.support;

import dev.pulse.events.StreamName;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * Records a hostile producer writes, of every class Pulse must survive (SPEC §1 "Bad input"), built from a good
 * line of the stream so that they look like the real thing, and injected into a replay folder between its lines.
 * {@link #inject} renumbers the folder's {@code malformed.txt} and returns what each injected line must become.
 */
public final class HostileRecords {
    /** What the job must do with a line: a dead letter, count it as a valid event, or skip it as blank. */
    public enum Fate { DEAD_LETTER, VALID, BLANK }

    public record Hostile(String label, byte[] bytes, Fate fate) {}

    private HostileRecords() {}

    private static Hostile dead(String label, String text) {
        return new Hostile(label, text.getBytes(StandardCharsets.UTF_8), Fate.DEAD_LETTER);
    }

    private static Hostile dead(String label, byte[] bytes) {
        return new Hostile(label, bytes, Fate.DEAD_LETTER);
    }

    private static String withTime(String good, String time) {
        return good.replaceFirst("\"event_time\":(\"[^\"]*\"|\\d+)", "\"event_time\":" + java.util.regex.Matcher.quoteReplacement(time));
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** Every class for one stream; {@code good} is a well-formed line of it, {@code salt} keeps new ids unique. */
    public static List<Hostile> of(StreamName stream, String good, int salt) {
        List<Hostile> h = new ArrayList<>();
        // event_time: overflow, beyond what PostgreSQL stores, a broken clock, before the epoch.
        h.add(dead("time +999999999", withTime(good, "\"+999999999-12-31T23:59:59Z\"")));
        h.add(dead("time +300000", withTime(good, "\"+300000-01-01T00:00:00Z\"")));
        h.add(dead("epoch max long", withTime(good, "9223372036854775807")));
        h.add(dead("epoch beyond long", withTime(good, "92233720368547758070")));
        h.add(dead("time 9999", withTime(good, "\"9999-12-31T23:59:59Z\"")));
        h.add(dead("time tomorrow", withTime(good, "\"" + Instant.now().plus(1, ChronoUnit.DAYS) + "\"")));
        h.add(dead("time 4714 BC", withTime(good, "\"-4714-01-01T00:00:00Z\"")));
        h.add(dead("time 1969", withTime(good, "\"1969-12-31T23:59:59.999Z\"")));
        // Text PostgreSQL cannot hold, as a JSON escape and as a raw byte; invalid UTF-8 and a BOM.
        h.add(dead("U+0000 in event_id", good.replaceFirst("\"event_id\":\"", "\"event_id\":\"\\\\u0000")));
        h.add(dead("lone surrogate in event_id", good.replaceFirst("\"event_id\":\"", "\"event_id\":\"\\\\ud800")));
        h.add(dead("raw NUL byte", good.replaceFirst("\\{", "{\u0000")));
        byte[] id = utf8(good);
        int at = good.indexOf("\"event_id\":\"") + 13;
        byte[] invalid = id.clone();
        invalid[at] = (byte) 0xC0;
        h.add(dead("invalid UTF-8 in event_id", invalid));
        byte[] invalid2 = id.clone();
        invalid2[at] = (byte) 0xFF;
        h.add(dead("another invalid byte in the same id", invalid2));
        h.add(dead("BOM", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, id)));
        // Lines that Java's isBlank calls blank but JSON does not.
        for (String ws : new String[] {"\u000b", "\u000c", "\u001c", "\u001f", "\u2003"}) {
            h.add(dead("only U+" + String.format("%04X", (int) ws.charAt(0)), ws));
        }
        // Malformed in the usual ways.
        Random random = new Random(salt);
        byte[] noise = new byte[300];
        random.nextBytes(noise);
        for (int i = 0; i < noise.length; i++) {
            if (noise[i] == '\n') noise[i] = 'n';
        }
        h.add(dead("random bytes", noise));
        h.add(dead("truncated", good.substring(0, good.length() / 3)));
        h.add(dead("deep nesting", "[".repeat(100_000)));
        h.add(dead("over 1 MiB", good.substring(0, good.length() - 1) + ",\"blob\":\"" + "x".repeat(1 << 20) + "\"}"));
        h.add(dead("NaN", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":NaN")));
        h.add(dead("user_id as string", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":\"12\"")));
        h.add(dead("user_id 12.0", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":12.0")));
        h.add(dead("user_id 1e1", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":1e1")));
        h.add(dead("user_id beyond int64", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":9223372036854775808")));
        h.add(dead("event_id of 3,000 characters", good.replaceFirst("\"event_id\":\"", "\"event_id\":\"" + "长".repeat(3000))));
        h.add(dead("SQL in a bad record", good.replaceFirst("\"user_id\":\\d+", "\"user_id\":\"1; DROP TABLE dead_letters; --\"")));
        if (stream != StreamName.BEHAVIOR) {
            h.add(dead("amount 1e1000000000", good.replaceFirst("\"amount\":\"?[0-9.]+\"?", "\"amount\":1e1000000000")));
            h.add(dead("amount -1e1000000000", good.replaceFirst("\"amount\":\"?[0-9.]+\"?", "\"amount\":-1e1000000000")));
            h.add(dead("amount \"1e400\"", good.replaceFirst("\"amount\":\"?[0-9.]+\"?", "\"amount\":\"1e400\"")));
            h.add(dead("amount 1e-40", good.replaceFirst("\"amount\":\"?[0-9.]+\"?", "\"amount\":1e-40")));
        }
        h.add(new Hostile("spaces and a tab", utf8("  \t "), Fate.BLANK));
        h.add(new Hostile("a lone CR", utf8("\r"), Fate.BLANK));
        return h;
    }

    /**
     * A valid record a careless sink would break on: SQL and quotes in its text, a CRLF line ending. Built from
     * the good line just before where it goes, so that its event time fits there (it moves the watermark).
     */
    public static Hostile valid(StreamName stream, String good, int salt) {
        String fresh = good.replaceFirst("\"event_id\":\"[^\"]*\"", "\"event_id\":\"hostile-" + salt + "\"");
        String sql = java.util.regex.Matcher.quoteReplacement("'); DROP TABLE order_metrics; -- \\\" ' \\\\");
        switch (stream) {
            case ORDERS:
                fresh = fresh.replaceFirst("\"order_id\":\\d+", "\"order_id\":" + (90_000_000 + salt))
                        .replaceFirst("\"product_name\":\"[^\"]*\"", "\"product_name\":\"" + sql + "\"")
                        .replaceFirst("\"status\":\"[a-z]+\"", "\"status\":\"paid\"");
                break;
            case PAYMENTS:
                fresh = fresh.replaceFirst("\"method\":\"[^\"]*\"", "\"method\":\"" + sql + "\"");
                break;
            default:
                fresh = fresh.replaceFirst("\"page_url\":\"[^\"]*\"", "\"page_url\":\"" + sql + "\"");
        }
        return new Hostile("SQL text in strings, CRLF", utf8(fresh + "\r"), Fate.VALID);
    }

    /**
     * An earlier record's event id on a record that differs (another order, user or payment): the same event id
     * counts once (SPEC §1), so this one counts nowhere, however different it looks.
     */
    public static Hostile reusedId(StreamName stream, String earlier, int salt) {
        String other = earlier.replaceFirst("\"user_id\":\\d+", "\"user_id\":" + (80_000_000 + salt));
        if (stream == StreamName.ORDERS) {
            other = other.replaceFirst("\"order_id\":\\d+", "\"order_id\":" + (80_000_000 + salt))
                    .replaceFirst("\"status\":\"[a-z]+\"", "\"status\":\"paid\"");
        }
        return new Hostile("an earlier event id on another record", utf8(other), Fate.VALID);
    }

    /** The last well-formed line at or before index {@code i}. */
    private static String goodBefore(List<String> lines, int i, Path file, Set<String> malformed) {
        for (int j = i; j >= 0; j--) {
            if (!malformed.contains(file + ":" + (j + 1)) && lines.get(j).startsWith("{\"event_id\"")) {
                return lines.get(j);
            }
        }
        throw new IllegalStateException("no good line before " + i + " in " + file);
    }

    /**
     * Inserts the stream's hostile lines into its file, spread evenly between the good lines, and rewrites
     * {@code malformed.txt} (the generator's own malformed lines move down). Returns each injected line's
     * {@code file:line} with what it is.
     */
    public static Map<String, Hostile> inject(Path dir) throws IOException {
        Path manifest = dir.resolve("malformed.txt");
        Set<String> oldMalformed = new TreeSet<>(Files.readAllLines(manifest, StandardCharsets.UTF_8));
        List<String> newMalformed = new ArrayList<>();
        Map<String, Hostile> injected = new LinkedHashMap<>();
        int salt = 0;
        for (StreamName stream : StreamName.values()) {
            Path file = dir.resolve(stream.fileName()).toAbsolutePath().normalize();
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            salt += 1000;
            List<Hostile> hostile = of(stream, goodBefore(lines, lines.size() / 2, file, oldMalformed), salt);
            // Early in the file: a record that moved the watermark would make most of what follows late.
            int step = Math.max(1, lines.size() / (hostile.size() + 4) / 4);
            Map<Integer, Hostile> after = new HashMap<>();
            for (int i = 0; i < hostile.size(); i++) {
                after.put(10 + i * step, hostile.get(i));
            }
            for (int k = 1; k <= 3; k++) {
                int at = k * lines.size() / 4;
                after.put(at, valid(stream, goodBefore(lines, at, file, oldMalformed), salt + k));
                after.put(at + 1, reusedId(stream, goodBefore(lines, at, file, oldMalformed), salt + k));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            int written = 0;
            for (int i = 0; i < lines.size(); i++) {
                String oldSource = file + ":" + (i + 1);
                out.writeBytes(utf8(lines.get(i)));
                out.write('\n');
                written++;
                if (oldMalformed.contains(oldSource)) {
                    newMalformed.add(file + ":" + written);
                }
                Hostile h = after.get(i);
                if (h != null) {
                    out.writeBytes(h.bytes());
                    out.write('\n');
                    written++;
                    injected.put(file + ":" + written, h);
                    if (h.fate() == Fate.DEAD_LETTER) {
                        newMalformed.add(file + ":" + written);
                    }
                }
            }
            Files.write(file, out.toByteArray());
        }
        Files.write(manifest, newMalformed, StandardCharsets.UTF_8);
        return injected;
    }
}
