package dev.pulse.events;

import dev.pulse.source.EventGenerator;
import dev.pulse.support.HostileRecords;

import org.junit.jupiter.api.Test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The streaming path of {@link EventParser} (bytes or text, no tree, fast ISO-8601 times) against the tree path it
 * replaces on the hot path: for every record, valid or hostile, the same envelope, field by field, reason by reason.
 */
class StreamingParseTest {
    private static final EventParser PARSER = new EventParser(Duration.ofHours(1));
    private static final long NOW = Instant.parse("2025-10-03T12:00:00Z").toEpochMilli();

    /** The parser's bytes entry as it was before the streaming path: size, strict UTF-8, then the tree. */
    private static Envelope treeFromBytes(StreamName stream, byte[] bytes, String source) {
        if (bytes.length > EventParser.MAX_RECORD_BYTES) {
            return EventParser.tooLarge(stream, bytes, 0, bytes.length, bytes.length, source);
        }
        String text;
        try {
            text = RecordText.decode(bytes, 0, bytes.length);
        } catch (RecordText.NotUtf8 e) {
            return Envelope.bad(stream, source, e.getMessage(), RecordText.escaped(bytes, 0, bytes.length));
        }
        return PARSER.parseTree(stream, text, source, System.currentTimeMillis());
    }

    /** Every public field of the envelope and its event, values as their toString (BigDecimal keeps its scale). */
    static String describe(Envelope e) {
        StringBuilder sb = new StringBuilder();
        fields(e, sb);
        if (e.event() != null) {
            sb.append(e.event().getClass().getSimpleName()).append('{');
            fields(e.event(), sb);
            sb.append('}');
        }
        return sb.toString();
    }

    private static void fields(Object o, StringBuilder sb) {
        for (Class<?> c = o.getClass(); c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || !Modifier.isPublic(f.getModifiers())) continue;
                try {
                    Object v = f.get(o);
                    if (v instanceof Event) continue;
                    sb.append(f.getName()).append('=').append(v).append(v == null ? "" : "(" + v.getClass().getSimpleName() + ")").append(' ');
                } catch (IllegalAccessException ex) {
                    throw new AssertionError(ex);
                }
            }
        }
    }

    private static void same(StreamName stream, byte[] bytes) {
        String label = new String(bytes, StandardCharsets.UTF_8);
        String expected = describe(treeFromBytes(stream, bytes, "f:1"));
        assertThat(describe(PARSER.parse(stream, bytes, 0, bytes.length, "f:1"))).as(label).isEqualTo(expected);
        String text = new String(bytes, StandardCharsets.UTF_8);
        if (text.indexOf('\uFFFD') < 0 && bytes.length <= EventParser.MAX_RECORD_BYTES) {
            long now = System.currentTimeMillis();
            assertThat(describe(PARSER.parse(stream, text, "f:1", now)))
                    .as(label).isEqualTo(describe(PARSER.parseTree(stream, text, "f:1", now)));
        }
    }

    private static List<String> generated(StreamName stream, int n) {
        EventGenerator g = new EventGenerator(7, 50, Instant.parse("2025-10-03T00:00:00Z").toEpochMilli(),
                new EventGenerator.Faults(0.1, Duration.ofSeconds(40), 0.02, 0.05, 0.0, Duration.ofMinutes(5), 0.02));
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < n; i++) lines.add(g.line(stream, i));
        return lines;
    }

    @Test
    void generatedRecordsWithTheirMalformedOnesParseAsTheTreePathParsesThem() {
        for (StreamName stream : StreamName.values()) {
            for (String line : generated(stream, 3000)) {
                same(stream, line.getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void hostileRecordsOfEveryClassParseAsTheTreePathParsesThem() {
        for (StreamName stream : StreamName.values()) {
            String good = generated(stream, 50).stream().filter(l -> PARSER.parse(stream, l, "g").isValid())
                    .findFirst().orElseThrow();
            int salt = 0;
            for (HostileRecords.Hostile h : HostileRecords.of(stream, good, ++salt)) {
                same(stream, h.bytes());
            }
            same(stream, HostileRecords.valid(stream, good, ++salt).bytes());
        }
    }

    @Test
    void randomMutationsOfValidRecordsParseAsTheTreePathParsesThem() {
        Random r = new Random(11);
        String[] inserts = {"\"", "\\", "{", "}", "[", "]", ",", ":", "null", "-", "1e400", "0.1", "\"x\":1,",
            "\"amount\":1,", "\\u0000", "\u00e9", "\u534e", "\uD83D\uDE00", " ", "\t", "9223372036854775808", "Z", "+08:00"};
        for (StreamName stream : StreamName.values()) {
            List<String> lines = generated(stream, 400);
            for (int i = 0; i < 4000; i++) {
                StringBuilder sb = new StringBuilder(lines.get(r.nextInt(lines.size())));
                int at = r.nextInt(sb.length());
                switch (r.nextInt(3)) {
                    case 0 -> sb.deleteCharAt(at);
                    case 1 -> sb.insert(at, inserts[r.nextInt(inserts.length)]);
                    default -> sb.replace(at, Math.min(sb.length(), at + 1 + r.nextInt(4)), inserts[r.nextInt(inserts.length)]);
                }
                same(stream, sb.toString().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void invalidUtf8AndUnusualEncodingsTakeTheStrictPath() {
        byte[][] records = {
            {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'},
            {'{', 0, '}'},
            {0, '{', 0, '}'},
            {'{', (byte) 0xC0, (byte) 0x80, '}'},
            {'{', '"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"', '}'},
            {'{', '"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"', '}'},
            {'{', '"', (byte) 0xE4, (byte) 0xB8, '"', '}'},
        };
        for (byte[] b : records) {
            if (b[0] != (byte) 0xEF) { // a BOM is well-formed UTF-8: the '{' first rule keeps it off the streaming path
                assertThat(EventParser.wellFormedUtf8WithoutNul(b, 0, b.length)).isFalse();
            }
            for (StreamName stream : StreamName.values()) same(stream, b);
        }
    }

    @Test
    void theUtf8CheckAgreesWithTheJdkStrictDecoderOnRandomBytes() {
        Random r = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            byte[] b = new byte[1 + r.nextInt(6)];
            for (int j = 0; j < b.length; j++) {
                b[j] = (byte) (r.nextBoolean() ? 0x80 + r.nextInt(0x80) : r.nextInt(256));
            }
            boolean strict;
            try {
                String s = RecordText.decode(b, 0, b.length);
                strict = s.indexOf('\0') < 0;
            } catch (RecordText.NotUtf8 e) {
                strict = false;
            }
            assertThat(EventParser.wellFormedUtf8WithoutNul(b, 0, b.length)).as("%s", java.util.HexFormat.of().formatHex(b))
                    .isEqualTo(strict);
        }
    }

    @Test
    void eventTimesInEveryFormGiveTheSameMillisecondsOrTheSameReason() {
        String base = "{\"event_id\":\"p\",\"event_time\":%s,\"payment_id\":\"x\",\"order_id\":1,\"user_id\":2,"
                + "\"amount\":\"1.00\",\"method\":\"card\",\"status\":\"success\"}";
        String[] times = {"\"2025-10-03T10:15:30.123Z\"", "\"2025-10-03T18:15:30+08:00\"", "\"2025-10-03T18:15:30.5+08:00\"",
            "\"2025-10-03T10:15:30.123456789Z\"", "\"2025-10-03T05:45:30-04:30\"", "\" 2025-10-03T10:15:30Z \"",
            "\"2025-10-03t10:15:30z\"", "\"2025-10-03T10:15Z\"", "\"2025-10-03T10:15:30+08\"", "\"2025-10-03T10:15:30\"",
            "\"2025-02-29T10:15:30Z\"", "\"2025-10-03T24:00:00Z\"", "\"2025-10-03 10:15:30Z\"", "\"1969-12-31T23:59:59.999Z\"",
            "\"9999-12-31T23:59:59.999Z\"", "\"9999-12-31T23:59:59.9995Z\"", "\"2025-10-03T13:00:00Z\"",
            "\"2025-10-03T13:00:00.001Z\"", "\"2025-10-03T21:00:00.001+08:00\"", "1759486530123", "-1", "0",
            "253402300799999", "253402300800000", "1.5", "\"\"", "null", "true", "[1]"};
        for (String time : times) {
            String text = String.format(base, time);
            Envelope fast = PARSER.parse(StreamName.PAYMENTS, text, "s", NOW);
            Envelope tree = PARSER.parseTree(StreamName.PAYMENTS, text, "s", NOW);
            assertThat(describe(fast)).as(time).isEqualTo(describe(tree));
        }
        assertThat(PARSER.parse(StreamName.PAYMENTS, String.format(base, "\"2025-10-03T18:15:30.5+08:00\""), "s", NOW)
                .payment.eventTime).isEqualTo(Instant.parse("2025-10-03T10:15:30.500Z").toEpochMilli());
        assertThat(PARSER.parse(StreamName.PAYMENTS, String.format(base, "\"2025-10-03T13:00:00.001Z\""), "s", NOW).error)
                .contains("is in the future");
    }

    @Test
    void theCommonRecordTakesTheStreamingPath() throws Exception {
        for (StreamName stream : StreamName.values()) {
            for (String line : generated(stream, 200)) {
                Envelope e = PARSER.parse(stream, line, "g");
                if (!e.isValid()) continue;
                byte[] b = line.getBytes(StandardCharsets.UTF_8);
                try (var p = EventParser.FAST_JSON.createParser(b, 0, b.length)) {
                    assertThat(PARSER.fast(stream, p, System.currentTimeMillis())).as(line).isNotNull();
                }
            }
        }
    }
}
