package dev.pulse.events;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

class EventParserTest {
    private static final EventParser PARSER = new EventParser(Duration.ofHours(1));
    private static final String ORDER = "{\"event_id\":\"e1\",\"event_time\":\"2025-10-03T10:15:30.123Z\",\"order_id\":7,"
            + "\"user_id\":42,\"product_id\":1001,\"product_name\":\"tea\",\"category\":\"grocery\",\"quantity\":2,"
            + "\"price\":12.50,\"amount\":25.00,\"status\":\"paid\",\"region\":\"华北\",\"city\":\"北京\",\"extra\":true}";

    private static Envelope order(String json) {
        return PARSER.parse(StreamName.ORDERS, json, "orders.jsonl:3");
    }

    private static String reason(String json) {
        Envelope e = order(json);
        assertThat(e.isValid()).as("expected a dead letter for %s", json).isFalse();
        assertThat(e.source).isEqualTo("orders.jsonl:3");
        assertThat(e.error).doesNotContain("\n");
        return e.error;
    }

    @Test
    void parsesAValidOrderWithExactMoneyAndUnicodeAndIgnoresUnknownFields() {
        Envelope e = order(ORDER);
        assertThat(e.isValid()).isTrue();
        OrderEvent o = e.order;
        assertThat(o.eventId).isEqualTo("e1");
        assertThat(o.eventTime).isEqualTo(Instant.parse("2025-10-03T10:15:30.123Z").toEpochMilli());
        assertThat(o.amount).isEqualByComparingTo(new BigDecimal("25.00"));
        assertThat(o.price.toPlainString()).isEqualTo("12.50");
        assertThat(o.region).isEqualTo("华北");
        assertThat(o.city).isEqualTo("北京");
        assertThat(e.timestamp()).isEqualTo(o.eventTime);
    }

    @Test
    void keepsDecimalDigitsThatBinaryFloatingPointWouldLose() {
        Envelope e = order(ORDER.replace("\"amount\":25.00", "\"amount\":0.100000000000000005"));
        assertThat(e.order.amount.toPlainString()).isEqualTo("0.100000000000000005");
    }

    @Test
    void acceptsMoneyWrittenAsAString() {
        assertThat(order(ORDER.replace("\"amount\":25.00", "\"amount\":\"25.01\"")).order.amount)
                .isEqualByComparingTo("25.01");
    }

    @Test
    void parsesEpochMillisecondsAndOffsets() {
        long millis = Instant.parse("2025-10-03T10:15:30.123Z").toEpochMilli();
        assertThat(order(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", String.valueOf(millis))).order.eventTime)
                .isEqualTo(millis);
        assertThat(order(ORDER.replace("2025-10-03T10:15:30.123Z", "2025-10-03T18:15:30.123+08:00")).order.eventTime)
                .isEqualTo(millis);
    }

    @Test
    void missingRegionAndCityBecomeUnknown() {
        Envelope e = order(ORDER.replace(",\"region\":\"华北\",\"city\":\"北京\"", ""));
        assertThat(e.order.region).isEqualTo("unknown");
        assertThat(e.order.city).isEqualTo("unknown");
    }

    @Test
    void rejectsTextThatIsNotJson() {
        assertThat(reason("<html>502</html>")).startsWith("not JSON");
        assertThat(reason(ORDER.substring(0, 40))).startsWith("not JSON");
        assertThat(reason("[1,2]")).isEqualTo("not a JSON object");
        assertThat(reason(ORDER + " trailing")).startsWith("not JSON");
    }

    @Test
    void rejectsAMissingRequiredField() {
        assertThat(reason(ORDER.replace("\"event_id\":\"e1\",", ""))).isEqualTo("missing required field event_id");
        assertThat(reason(ORDER.replace("\"order_id\":7,", ""))).isEqualTo("missing required field order_id");
        assertThat(reason(ORDER.replace("\"event_time\":\"2025-10-03T10:15:30.123Z\",", "\"event_time\":null,")))
                .isEqualTo("missing required field event_time");
    }

    @Test
    void rejectsAWrongType() {
        assertThat(reason(ORDER.replace("\"user_id\":42", "\"user_id\":\"42x\"")))
                .isEqualTo("field user_id: expected a 64-bit integer, got string '42x'");
        assertThat(reason(ORDER.replace("\"quantity\":2", "\"quantity\":2.5"))).contains("field quantity: expected an integer");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":true"))).contains("field amount: expected a decimal number");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":\"lots\""))).contains("field amount");
    }

    @Test
    void rejectsNegativeMoneyAndNonPositiveQuantity() {
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":-25.00"))).isEqualTo("field amount: must be >= 0, got -25.00");
        assertThat(reason(ORDER.replace("\"price\":12.50", "\"price\":-1"))).isEqualTo("field price: must be >= 0, got -1");
        assertThat(reason(ORDER.replace("\"quantity\":2", "\"quantity\":-2"))).isEqualTo("field quantity: must be > 0, got -2");
    }

    @Test
    void rejectsAnUnknownEnumValue() {
        assertThat(reason(ORDER.replace("\"status\":\"paid\"", "\"status\":\"shipped\"")))
                .isEqualTo("field status: unknown value 'shipped' (expected one of cancelled, completed, paid, pending)");
        Envelope b = PARSER.parse(StreamName.BEHAVIOR,
                "{\"event_id\":\"b\",\"event_time\":1,\"user_id\":1,\"event_type\":\"hover\"}", "x:1");
        assertThat(b.error).startsWith("field event_type: unknown value 'hover'");
        Envelope d = PARSER.parse(StreamName.BEHAVIOR,
                "{\"event_id\":\"b\",\"event_time\":1,\"user_id\":1,\"event_type\":\"click\",\"device_type\":\"watch\"}", "x:1");
        assertThat(d.error).startsWith("field device_type: unknown value 'watch'");
        Envelope p = PARSER.parse(StreamName.PAYMENTS, "{\"event_id\":\"p\",\"event_time\":1,\"payment_id\":\"x\","
                + "\"order_id\":1,\"user_id\":1,\"amount\":1,\"method\":\"card\",\"status\":\"pending\"}", "x:1");
        assertThat(p.error).startsWith("field status: unknown value 'pending'");
    }

    @Test
    void rejectsATimeWithoutOffsetOrInAnotherForm() {
        assertThat(reason(ORDER.replace("2025-10-03T10:15:30.123Z", "2025-10-03T10:15:30")))
                .startsWith("field event_time: '2025-10-03T10:15:30' is not ISO-8601 with an offset");
        assertThat(reason(ORDER.replace("2025-10-03T10:15:30.123Z", "yesterday"))).contains("event_time");
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "1.5e12"))).contains("event_time");
    }

    @Test
    void rejectsARecordLargerThanOneMebibyte() {
        String big = ORDER.replace("\"extra\":true", "\"extra\":\"" + "x".repeat(EventParser.MAX_RECORD_BYTES) + "\"");
        String reason = reason(big);
        assertThat(reason).startsWith("record too large: " + big.getBytes(java.nio.charset.StandardCharsets.UTF_8).length + " bytes > 1 MiB");
        assertThat(order(big).rawPayload.getBytes(StandardCharsets.UTF_8)).hasSize(EventParser.MAX_RECORD_BYTES);
    }

    @Test
    void countsMultiByteCharactersTowardsTheSizeLimit() {
        String chinese = "北".repeat(EventParser.MAX_RECORD_BYTES / 3 + 10); // < 1 Mi chars, > 1 MiB in UTF-8
        String reason = reason(ORDER.replace("\"extra\":true", "\"extra\":\"" + chinese + "\""));
        assertThat(reason).startsWith("record too large");
    }

    @Test
    void keepsTheRawTextOfABadRecordWithNulEscaped() {
        Envelope e = order("bad\0record");
        assertThat(e.rawPayload).isEqualTo("bad\\x00record");
    }

    private static Envelope bytes(byte[] record) {
        return PARSER.parse(StreamName.PAYMENTS, record, 0, record.length, "payments.jsonl:4");
    }

    @Test
    void aRecordThatIsNotUtf8IsADeadLetterWithItsBadBytesEscaped() {
        byte[] record = "{\"method\":\"caXrd\"}".getBytes(StandardCharsets.UTF_8);
        record[13] = (byte) 0xC0;
        Envelope e = bytes(record);
        assertThat(e.isValid()).isFalse();
        assertThat(e.error).isEqualTo("not UTF-8 at byte 13");
        assertThat(e.rawPayload).isEqualTo("{\"method\":\"ca\\xC0rd\"}");
    }

    @Test
    void twoIdsThatDifferOnlyInAnInvalidByteAreNeverMergedIntoOneEvent() {
        String good = "{\"event_id\":\"pX\",\"event_time\":1,\"payment_id\":\"x\",\"order_id\":1,\"user_id\":1,"
                + "\"amount\":1,\"method\":\"card\",\"status\":\"success\"}";
        byte[] a = good.getBytes(StandardCharsets.UTF_8);
        byte[] b = a.clone();
        a[14] = (byte) 0xFF;
        b[14] = (byte) 0xFE;
        assertThat(bytes(a).rawPayload).contains("p\\xFF\"");
        assertThat(bytes(b).rawPayload).contains("p\\xFE\"");
        assertThat(bytes(good.getBytes(StandardCharsets.UTF_8)).isValid()).isTrue();
    }

    @Test
    void aReplacementCharacterWrittenInTheInputIsValidText() {
        Envelope e = bytes(("{\"event_id\":\"p\",\"event_time\":1,\"payment_id\":\"x\",\"order_id\":1,\"user_id\":1,"
                + "\"amount\":1,\"method\":\"ca\uFFFDrd\",\"status\":\"success\"}").getBytes(StandardCharsets.UTF_8));
        assertThat(e.payment.method).isEqualTo("ca\uFFFDrd");
    }

    @Test
    void aNulCharacterInAnyTextValueIsADeadLetterAndTheReasonHoldsNoNul() {
        for (String field : new String[] {"region", "product_name", "event_id", "city", "category"}) {
            String json = ORDER.replaceFirst("\"" + field + "\":\"", "\"" + field + "\":\"x\\\\u0000");
            Envelope e = order(json);
            assertThat(e.isValid()).as(field).isFalse();
            assertThat(e.error).isEqualTo("field " + field + ": contains U+0000, which PostgreSQL text cannot hold");
        }
        Envelope e = order(ORDER.replace("\"status\":\"paid\"", "\"status\":\"pa\\u0000id\""));
        assertThat(e.error).isEqualTo("field status: contains U+0000, which PostgreSQL text cannot hold");
        assertThat(order("{\"event_id\":\"a\0b\"}").error).doesNotContain("\0");
    }

    @Test
    void anUnpairedSurrogateInATextValueIsADeadLetter() {
        assertThat(reason(ORDER.replace("\"tea\"", "\"t\\ud800ea\""))).startsWith("field product_name: contains an unpaired surrogate");
        assertThat(order(ORDER.replace("\"tea\"", "\"\\ud83d\\ude00\"")).order.productName).isEqualTo("\ud83d\ude00");
    }

    @Test
    void anEventTimeOutsideTheRangePostgresCanStoreIsADeadLetterNotAnOverflow() {
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "\"+999999999-12-31T23:59:59Z\"")))
                .contains("is out of range");
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "\"+300000-01-01T00:00:00Z\"")))
                .contains("is out of range");
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "9223372036854775807"))).contains("is out of range");
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "92233720368547758070"))).contains("is out of range");
        assertThat(reason(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "-1"))).contains("is out of range");
        assertThat(reason(ORDER.replace("2025-10-03T10:15:30.123Z", "-4714-01-01T00:00:00Z"))).contains("is out of range");
        assertThat(reason(ORDER.replace("2025-10-03T10:15:30.123Z", "1969-12-31T23:59:59.999Z"))).contains("is out of range");
        assertThat(order(ORDER.replace("\"2025-10-03T10:15:30.123Z\"", "0")).isValid()).isTrue();
    }

    @Test
    void valuesThatKeyTheTablesAreBoundedSoNoIndexEntryIsRefused() {
        assertThat(reason(ORDER.replace("\"region\":\"华北\"", "\"region\":\"" + "北".repeat(201) + "\"")))
                .isEqualTo("field region: longer than 200 characters (it keys the metric tables)");
        assertThat(reason(ORDER.replace("\"event_id\":\"e1\"", "\"event_id\":\"" + "e".repeat(201) + "\"")))
                .startsWith("field event_id: longer than 200");
        assertThat(order(ORDER.replace("\"city\":\"北京\"", "\"city\":\"" + "京".repeat(200) + "\"")).isValid()).isTrue();
        assertThat(order(ORDER.replace("\"tea\"", "\"" + "t".repeat(5000) + "\"")).isValid()).as("product_name is no key").isTrue();
    }

    @Test
    void anEventTimeBeyondTheClockPlusMaxFutureIsADeadLetter() {
        long now = Instant.parse("2025-10-03T12:00:00Z").toEpochMilli();
        Envelope inAnHour = PARSER.parse(StreamName.ORDERS, ORDER.replace("2025-10-03T10:15:30.123Z", "2025-10-03T13:00:00Z"),
                "o:1", now);
        assertThat(inAnHour.isValid()).isTrue();
        Envelope later = PARSER.parse(StreamName.ORDERS, ORDER.replace("2025-10-03T10:15:30.123Z", "2025-10-03T13:00:00.001Z"),
                "o:1", now);
        assertThat(later.error).isEqualTo("field event_time: 2025-10-03T13:00:00.001Z is in the future "
                + "(more than --max-future 1h ahead of the clock)");
        assertThat(reason(ORDER.replace("2025-10-03T10:15:30.123Z", "9999-12-31T23:59:59Z"))).contains("in the future");
    }

    @Test
    void decimalsOutOfRangeAreDeadLettersWithoutWritingTheirDigitsOut() {
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":1e1000000000")))
                .isEqualTo("field amount: 1E+1000000000 is out of range (at most 18 digits before and 18 after the decimal point)");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":-1e1000000000"))).contains("out of range");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":\"1e400\""))).contains("out of range");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":1e-40"))).contains("out of range");
        assertThat(reason(ORDER.replace("\"price\":12.50", "\"price\":1234567890123456789"))).contains("out of range");
        assertThat(order(ORDER.replace("\"amount\":25.00", "\"amount\":123456789012345678.123456789012345678")).isValid()).isTrue();
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":2.5000000000000000000"))).contains("out of range");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":0e-16384"))).contains("out of range");
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":\"1." + "0".repeat(300_000) + "\"")))
                .startsWith("field amount: expected a decimal number");
        assertThat(order(ORDER.replace("\"amount\":25.00", "\"amount\":0E+400")).order.amount.toPlainString()).isEqualTo("0");
        assertThat(order(ORDER.replace("\"amount\":25.00", "\"amount\":1.5e3")).order.amount.toPlainString()).isEqualTo("1500");
    }

    @Test
    void aDecimalInAStringFollowsJsonNumberGrammarInAscii() {
        for (String bad : new String[] {"\u0661\u0662\u0663", "\uFF11\uFF12", "\\u000112", "+12", "12.", " 12", "0x10", "NaN"}) {
            assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":\"" + bad + "\""))).as(bad)
                    .startsWith("field amount: expected a decimal number");
        }
        assertThat(order(ORDER.replace("\"amount\":25.00", "\"amount\":\"1.25e1\"")).order.amount).isEqualByComparingTo("12.5");
    }

    @Test
    void aFieldGivenTwiceIsADeadLetterNotTheLastOneWins() {
        assertThat(reason(ORDER.replace("\"amount\":25.00", "\"amount\":-5,\"amount\":25.00")))
                .startsWith("not JSON: Duplicate field 'amount'");
    }

    @Test
    void parsesBehaviourDefaultsAndPayments() {
        Envelope b = PARSER.parse(StreamName.BEHAVIOR,
                "{\"event_id\":\"b\",\"event_time\":5,\"user_id\":9,\"event_type\":\"add_to_cart\",\"product_id\":3}", "x:1");
        assertThat(b.behavior.deviceType).isEqualTo("other");
        assertThat(b.behavior.region).isEqualTo("unknown");
        assertThat(b.behavior.productId).isEqualTo(3L);
        Envelope p = PARSER.parse(StreamName.PAYMENTS, "{\"event_id\":\"p\",\"event_time\":1,\"payment_id\":\"x\","
                + "\"order_id\":1,\"user_id\":1,\"amount\":\"9.99\",\"method\":\"alipay\",\"status\":\"failed\"}", "x:1");
        assertThat(p.payment.amount).isEqualByComparingTo("9.99");
        assertThat(p.payment.status).isEqualTo("failed");
    }
}
