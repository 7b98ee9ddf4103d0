package dev.pulse.clean;

import dev.pulse.events.DeadLetter;
import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.LateEvent;
import dev.pulse.events.OrderEvent;
import dev.pulse.events.StreamName;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class CleaningStepsTest {
    private static final EventParser PARSER = new EventParser(java.time.Duration.ofHours(1));
    private static <K> KeyedOneInputStreamOperatorTestHarness<K, OrderEvent, OrderEvent> keyed(
            ExpiringMarks<OrderEvent> step, org.apache.flink.api.java.functions.KeySelector<OrderEvent, K> key,
            org.apache.flink.api.common.typeinfo.TypeInformation<K> keyType) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<K, OrderEvent, OrderEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(step, key, keyType);
        h.open();
        return h;
    }

    private static OrderEvent order(String id, long time) {
        OrderEvent o = new OrderEvent();
        o.eventId = id;
        o.eventTime = time;
        o.status = "paid";
        o.amount = new BigDecimal("1.50");
        o.region = "华北";
        return o;
    }

    @Test
    void sendsBadRecordsToTheDeadLetterOutputWithReasonAndSource() throws Exception {
        OneInputStreamOperatorTestHarness<Envelope, OrderEvent> h =
                ProcessFunctionTestHarnesses.forProcessFunction(new RouteDeadLetters<OrderEvent>("orders"));
        Envelope bad = PARSER.parse(StreamName.ORDERS, "{oops", "orders.jsonl:9");
        Envelope good = Envelope.valid(StreamName.ORDERS, "orders.jsonl:10", order("a", 5));
        h.processElement(new StreamRecord<>(bad, 0));
        h.processElement(new StreamRecord<>(good, 5));

        assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("a");
        List<DeadLetter> dead = h.getSideOutput(RouteDeadLetters.DEAD_LETTERS).stream().map(StreamRecord::getValue).toList();
        assertThat(dead).singleElement().satisfies(d -> {
            assertThat(d.stream).isEqualTo("orders");
            assertThat(d.source).isEqualTo("orders.jsonl:9");
            assertThat(d.payload).isEqualTo("{oops");
            assertThat(d.reason).startsWith("not JSON");
        });
    }

    private static OrderEvent lifecycle(String id, long orderId, String status, String amount) {
        OrderEvent o = order(id, 10);
        o.orderId = orderId;
        o.status = status;
        o.amount = new BigDecimal(amount);
        return o;
    }

    @Test
    void anOrderIsPaidOnceAndCancelledOnceInArrivalOrderWhateverTheEventIds() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderEvent> h =
                keyed(new PaidOnce(60_000, 60_000, 3_600_000), o -> o.orderId, Types.LONG);
        h.processElement(new StreamRecord<>(lifecycle("p1", 7, "pending", "5.00"), 10));
        h.processElement(new StreamRecord<>(lifecycle("a", 7, "paid", "5.00"), 10));
        h.processElement(new StreamRecord<>(lifecycle("b", 7, "paid", "9.00"), 10));      // repeat: counts nowhere
        h.processElement(new StreamRecord<>(lifecycle("c", 7, "cancelled", "5.00"), 10));
        h.processElement(new StreamRecord<>(lifecycle("d", 7, "cancelled", "5.00"), 10)); // repeat
        h.processElement(new StreamRecord<>(lifecycle("p2", 7, "pending", "5.00"), 10));  // another pending counts
        h.processElement(new StreamRecord<>(lifecycle("b", 8, "paid", "3.00"), 10));      // another order's first paid

        assertThat(h.extractOutputValues()).extracting(o -> o.eventId + "/" + o.orderId + "/" + o.status + "/" + o.amount)
                .containsExactly("p1/7/pending/5.00", "a/7/paid/5.00", "c/7/cancelled/5.00", "p2/7/pending/5.00",
                        "b/8/paid/3.00");
    }

    @Test
    void passesTheFirstDeliveryAndDropsReDeliveries() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, OrderEvent> h =
                keyed(new Deduplicate<OrderEvent>("orders", 60_000, 60_000, 300_000), OrderEvent::getEventId, Types.STRING);
        h.processElement(new StreamRecord<>(order("a", 1), 1));
        h.processElement(new StreamRecord<>(order("b", 2), 2));
        h.processElement(new StreamRecord<>(order("a", 1), 1));
        h.processElement(new StreamRecord<>(order("b", 2), 2));

        assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("a", "b");
    }

    /**
     * The marker lives by event time: until the event's 1-minute window is past its allowed lateness (from then on
     * the late filter sets any copy aside, so it cannot count twice) plus the horizon; then it is gone, timer too.
     */
    @Test
    void aReDeliveryIsRecognisedUntilTheEventsLatenessPlusTheHorizonThenItsMarkerIsGone() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, OrderEvent, OrderEvent> h =
                keyed(new Deduplicate<OrderEvent>("orders", 60_000, 60_000, 300_000), OrderEvent::getEventId, Types.STRING);
        h.processElement(new StreamRecord<>(order("a", 1_000), 1_000)); // window [0, 60 s): late from 119_999
        h.processWatermark(119_999 + 300_000 - 1);
        h.processElement(new StreamRecord<>(order("a", 1_000), 1_000)); // within the horizon: a re-delivery
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(119_999 + 300_000);
        h.processElement(new StreamRecord<>(order("a", 1_000), 1_000)); // beyond: passes on (the late filter takes it)
        assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("a", "a");
        assertThat(LateFilter.isLate(1_000, 119_999 + 300_000, 60_000, 60_000)).isTrue();
        h.processWatermark(119_999 + 300_000 + ExpiringMarks.sweepInterval(60_000 + 60_000 + 300_000)); // next sweep
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anOrdersClaimsAreKeptUntilTheLatestClaimsLatenessPlusTheHorizon() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderEvent> h =
                keyed(new PaidOnce(60_000, 60_000, 3_600_000), o -> o.orderId, Types.LONG);
        OrderEvent paid = lifecycle("a", 7, "paid", "5.00");             // event time 10: late from 119_999
        OrderEvent cancelled = lifecycle("c", 7, "cancelled", "5.00");
        cancelled.eventTime = 600_000;                                    // late from 719_999
        h.processElement(new StreamRecord<>(paid, 10));
        h.processElement(new StreamRecord<>(cancelled, 600_000));
        h.processWatermark(119_999 + 3_600_000);                          // the paid claim's time is up, not the order's
        h.processElement(new StreamRecord<>(lifecycle("b", 7, "paid", "9.00"), 10));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(719_999 + 3_600_000);
        h.processElement(new StreamRecord<>(lifecycle("d", 7, "paid", "9.00"), 10)); // beyond the horizon: counts again
        h.processWatermark(719_999 + 3_600_000 + ExpiringMarks.sweepInterval(60_000 + 60_000 + 3_600_000)); // next sweep
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();

        assertThat(h.extractOutputValues()).extracting(o -> o.eventId).containsExactly("a", "c", "d");
    }

    @Test
    void aRecordBeyondAllowedLatenessGoesToTheLateOutputAndNoMetric() throws Exception {
        OneInputStreamOperatorTestHarness<OrderEvent, OrderEvent> h = ProcessFunctionTestHarnesses.forProcessFunction(
                new LateFilter<OrderEvent>("orders", 60_000, 60_000));
        h.processWatermark(new Watermark(119_998));
        h.processElement(new StreamRecord<>(order("within", 1_000), 1_000)); // window [0,60s) cleaned at 119_999
        h.processWatermark(new Watermark(119_999));
        h.processElement(new StreamRecord<>(order("beyond", 59_999), 59_999));
        h.processElement(new StreamRecord<>(order("next-window", 60_000), 60_000));

        assertThat(h.extractOutputValues()).extracting(e -> e.eventId).containsExactly("within", "next-window");
        List<LateEvent> late = h.getSideOutput(LateFilter.LATE_EVENTS).stream().map(StreamRecord::getValue).toList();
        assertThat(late).singleElement().satisfies(l -> {
            assertThat(l.eventId).isEqualTo("beyond");
            assertThat(l.stream).isEqualTo("orders");
            assertThat(l.watermark).isEqualTo(119_999);
            assertThat(l.payload).contains("\"event_id\":\"beyond\"").contains("\"event_time\":\"1970-01-01T00:00:59.999Z\"")
                    .contains("\"region\":\"华北\"");
        });
    }

    @Test
    void latenessIsJudgedAgainstTheEpochAlignedMinute() {
        assertThat(LateFilter.isLate(59_999, 119_998, 60_000, 60_000)).isFalse();
        assertThat(LateFilter.isLate(59_999, 119_999, 60_000, 60_000)).isTrue();
        assertThat(LateFilter.isLate(-1, 59_999, 60_000, 60_000)).isTrue();
        assertThat(LateFilter.isLate(0, 59_999, 60_000, 0)).isTrue();
        assertThat(LateFilter.isLate(0, 59_998, 60_000, 0)).isFalse();
    }
}
