package dev.pulse.events;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** The fast ISO-8601 path gives what OffsetDateTime.parse gives, or leaves the string to it. */
class IsoTimeTest {
    /** What the parser did before the fast path: epoch millis, or null when OffsetDateTime refuses the string. */
    private static Long reference(String s) {
        try {
            return OffsetDateTime.parse(s).toInstant().toEpochMilli();
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static void agrees(String s) {
        long fast = IsoTime.epochMillis(s);
        if (fast != IsoTime.NOT_HANDLED) {
            assertThat(reference(s)).as(s).isEqualTo(fast);
        }
    }

    private static void handled(String s, String instant) {
        assertThat(IsoTime.epochMillis(s)).as(s).isEqualTo(Instant.parse(instant).toEpochMilli());
        assertThat(reference(s)).as(s).isEqualTo(Instant.parse(instant).toEpochMilli());
    }

    @Test
    void readsZuluOffsetsAndFractionsOfAnyLength() {
        handled("2025-10-03T10:15:30Z", "2025-10-03T10:15:30Z");
        handled("2025-10-03T10:15:30.1Z", "2025-10-03T10:15:30.100Z");
        handled("2025-10-03T10:15:30.12Z", "2025-10-03T10:15:30.120Z");
        handled("2025-10-03T10:15:30.123Z", "2025-10-03T10:15:30.123Z");
        handled("2025-10-03T10:15:30.123999999Z", "2025-10-03T10:15:30.123Z"); // truncated, as toEpochMilli does
        handled("2025-10-03T18:15:30+08:00", "2025-10-03T10:15:30Z");
        handled("2025-10-03T08:00:00.010+08:00", "2025-10-03T00:00:00.010Z");
        handled("2025-10-03T05:45:30.5-04:30", "2025-10-03T10:15:30.500Z");
        handled("2025-10-03T10:15:30-00:00", "2025-10-03T10:15:30Z");
        handled("2025-10-04T04:15:30+18:00", "2025-10-03T10:15:30Z");
        handled("2025-10-02T16:15:30-18:00", "2025-10-03T10:15:30Z");
        handled("2024-02-29T23:59:59.999+00:00", "2024-02-29T23:59:59.999Z");
        handled("2000-02-29T00:00:00Z", "2000-02-29T00:00:00Z");
        handled("1970-01-01T00:00:00Z", "1970-01-01T00:00:00Z");
        handled("1970-01-01T08:00:00+08:00", "1970-01-01T00:00:00Z");
        handled("9999-12-31T23:59:59.998Z", "9999-12-31T23:59:59.998Z");
    }

    @Test
    void leavesEveryOtherFormToOffsetDateTime() {
        String[] others = {
            // valid for OffsetDateTime, but not the common form: the slow path reads them
            "2025-10-03t10:15:30z", "2025-10-03T10:15Z", "2025-10-03T10:15:30+08", "2025-10-03T10:15:30+08:00:15",
            "+12025-10-03T10:15:30Z", "2025-10-03T10:15:30.Z",
            // at the range's edges: the caller's check (which sees nanoseconds) decides
            "9999-12-31T23:59:59.999Z", "9999-12-31T23:59:59.9995Z", "1969-12-31T23:59:59.999Z",
            "1970-01-01T07:59:59+08:00", "0000-01-01T00:00:00Z",
            // invalid
            "2025-02-29T10:15:30Z", "2025-04-31T10:15:30Z", "2025-13-01T10:15:30Z", "2025-00-10T10:15:30Z",
            "2025-10-03T24:00:00Z", "2025-10-03T23:60:00Z", "2025-10-03T23:59:60Z", "2025-10-03T10:15:30",
            "2025-10-03T10:15:30.1234567890Z", "2025-10-03T10:15:30+18:01", "2025-10-03T10:15:30+19:00",
            "2025-10-03T10:15:30+08:60", "2025-10-03T10:15:30+0800", "2025-10-03T10:15:30 Z", "2025-10-03 10:15:30Z",
            "2025-10-03T10:15:30ZZ", "2025-10-03T10:15:30.12a4Z", "2025-1O-03T10:15:30Z", "2025-10-03T10:15:30+08:00 ",
            "2025-10-03T10:15:30Z[UTC]", "", "2025", "1759449600000", "２０２５-10-03T10:15:30Z",
            "2025-10-03T10:15:30.123+08:00:00",
        };
        for (String s : others) {
            assertThat(IsoTime.epochMillis(s)).as(s).isEqualTo(IsoTime.NOT_HANDLED);
        }
    }

    @Test
    void agreesWithOffsetDateTimeOnRandomTimesAndMutations() {
        Random r = new Random(42);
        List<String> samples = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            long seconds = (long) (r.nextDouble() * 253_402_300_800L);
            int nanos = r.nextInt(1_000_000_000);
            int offset = (r.nextInt(37) - 18) * 3600 + (r.nextBoolean() ? 0 : r.nextInt(60) * 60);
            offset = Math.max(-64800, Math.min(64800, offset));
            OffsetDateTime t = Instant.ofEpochSecond(seconds, nanos).atOffset(ZoneOffset.ofTotalSeconds(offset));
            String s = t.toString(); // ISO form, fraction 0, 3, 6 or 9 digits, seconds omitted when zero
            samples.add(s);
            int digits = r.nextInt(10);
            String fraction = digits == 0 ? "" : "." + String.format("%09d", nanos).substring(0, digits);
            String zone = offset == 0 && r.nextBoolean() ? "Z" : ZoneOffset.ofTotalSeconds(offset).getId().replace("Z", "+00:00");
            samples.add(String.format("%04d-%02d-%02dT%02d:%02d:%02d%s%s", t.getYear(), t.getMonthValue(), t.getDayOfMonth(),
                    t.getHour(), t.getMinute(), t.getSecond(), fraction, zone));
        }
        // Random one-character changes of well-formed times: each must agree or be left to the slow path.
        String alphabet = "0123456789-+:.TZtz ";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder(samples.get(r.nextInt(samples.size())));
            int at = r.nextInt(sb.length());
            switch (r.nextInt(3)) {
                case 0 -> sb.setCharAt(at, alphabet.charAt(r.nextInt(alphabet.length())));
                case 1 -> sb.deleteCharAt(at);
                default -> sb.insert(at, alphabet.charAt(r.nextInt(alphabet.length())));
            }
            samples.add(sb.toString());
        }
        int handled = 0;
        for (String s : samples) {
            agrees(s);
            if (IsoTime.epochMillis(s) != IsoTime.NOT_HANDLED) handled++;
        }
        assertThat(handled).as("the common form takes the fast path").isGreaterThan(20_000);
    }
}
