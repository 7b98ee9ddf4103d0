package dev.pulse.sql;

import org.apache.flink.types.Row;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDateTime;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PulseSqlFunctionsTest {
    private static final String ORDER = "{\"event_id\":\"o-1\",\"event_time\":\"2025-10-03T18:15:30.123+08:00\","
            + "\"order_id\":7,\"user_id\":3,\"product_id\":1001,\"product_name\":\"books item 1\",\"quantity\":2,"
            + "\"price\":\"1.25\",\"amount\":2.50,\"status\":\"paid\"}";

    @Test
    void parsesAsTheJobDoesAndNullsWhatTheJobDeadLetters() {
        Row o = new ParseOrder().eval(ORDER);
        assertThat(o.getField(0)).isEqualTo("o-1");
        assertThat(o.getField(1)).isEqualTo(LocalDateTime.parse("2025-10-03T10:15:30.123"));
        assertThat((BigDecimal) o.getField(9)).isEqualByComparingTo("2.50");
        assertThat(o.getField(11)).isEqualTo("unknown");
        assertThat(o.getField(12)).isEqualTo("unknown");
        assertThat(new ParseOrder().eval(ORDER.replace("\"user_id\":3", "\"user_id\":12.5"))).isNull();
        assertThat(new ParseOrder().eval(ORDER.replace("\"user_id\":3", "\"user_id\":\"3\""))).isNull();
        assertThat(new ParseOrder().eval(ORDER.replace("\"amount\":2.50", "\"amount\":-2.50"))).isNull();
        assertThat(new ParseOrder().eval("<html>")).isNull();
        assertThat(new ParseOrder().eval("  ")).isNull();
        assertThat(new ParseBehavior().eval("{\"event_id\":\"b\",\"event_time\":1,\"user_id\":1,\"event_type\":\"click\","
                + "\"device_type\":\"smartwatch\"}")).isNull();
        Row b = new ParseBehavior().eval("{\"event_id\":\"b\",\"event_time\":1000,\"user_id\":1,\"event_type\":\"click\"}");
        assertThat(b.getField(8)).isEqualTo("other");
        assertThat(new ParsePayment().eval("{\"event_id\":\"p\",\"event_time\":1000,\"payment_id\":\"x\",\"order_id\":1,"
                + "\"user_id\":1,\"amount\":1,\"method\":\"card\",\"status\":\"success\"}").getField(6)).isEqualTo("card");
    }

    @Test
    void eventTimeIsTheJobsAndEpochForDeadLetters() {
        EventTime t = new EventTime();
        assertThat(t.eval("orders", ORDER)).isEqualTo(LocalDateTime.parse("2025-10-03T10:15:30.123"));
        assertThat(t.eval("orders", ORDER.replace("\"2025-10-03T18:15:30.123+08:00\"", "1759486530123")))
                .isEqualTo(LocalDateTime.parse("2025-10-03T10:15:30.123"));
        assertThat(t.eval("orders", "{")).isEqualTo(LocalDateTime.parse("1970-01-01T00:00:00"));
    }

    @Test
    void ratioRoundsOnceHalfUp() {
        Ratio r = new Ratio();
        assertThat(r.eval(new BigDecimal("2.005"), 1L, 2)).isEqualByComparingTo("2.01");
        assertThat(r.eval(1L, 3L, 4)).isEqualByComparingTo("0.3333");
        assertThat(r.eval(2L, 3L, 4)).isEqualByComparingTo("0.6667");
        assertThat(r.eval(1L, 0L, 4)).isNull();
        assertThat(r.eval(null, 3L, 4)).isNull();
    }

    @Test
    void sessionFunnelIsOrderedCountsDistinctEventsAndMerges() {
        SessionFunnel f = new SessionFunnel();
        SessionFunnel.Acc a = f.createAccumulator();
        LocalDateTime t0 = LocalDateTime.parse("2025-10-03T10:00:00");
        f.accumulate(a, t0.plusSeconds(10), "e2", "add_to_cart", "mobile");   // before the view: does not count
        f.accumulate(a, t0.plusSeconds(20), "e3", "page_view", "desktop");
        f.accumulate(a, t0.plusSeconds(30), "e4", "checkout_start", "desktop"); // no cart after the view yet
        f.accumulate(a, t0.plusSeconds(10), "e1", "click", "tablet");         // same time as e2, smaller id: first
        f.accumulate(a, t0.plusSeconds(10), "e1", "click", "tablet");         // re-delivery: counts once
        assertThat(f.getValue(a)).isEqualTo(Row.of("tablet", 1, t0.plusSeconds(10).toInstant(java.time.ZoneOffset.UTC)
                .toEpochMilli(), t0.plusSeconds(30).toInstant(java.time.ZoneOffset.UTC).toEpochMilli(), 4L));

        SessionFunnel.Acc b = f.createAccumulator();
        f.accumulate(b, t0.plusSeconds(40), "e5", "add_to_cart", "mobile");
        f.accumulate(b, t0.plusSeconds(50), "e6", "checkout_start", "mobile");
        f.accumulate(b, t0.plusSeconds(50), "e7", "purchase", "mobile");
        f.merge(a, List.of(b));
        Row merged = f.getValue(a);
        assertThat(merged.getField(1)).isEqualTo(4);
        assertThat(merged.getField(4)).isEqualTo(7L);
    }
}
