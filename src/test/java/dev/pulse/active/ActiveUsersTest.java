package dev.pulse.active;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ActiveUsersTest {
    private static final long LATENESS = 60_000;
    private static final long T0 = Instant.parse("2025-10-03T10:00:00Z").toEpochMilli();

    private static BehaviorEvent event(long user, String id, long time, String type) {
        BehaviorEvent e = new BehaviorEvent();
        e.eventId = id;
        e.eventTime = time;
        e.userId = user;
        e.eventType = type;
        return e;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, ActiveDelta> marks() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ActiveUserMarks(LATENESS),
                (BehaviorEvent e) -> e.userId, Types.LONG);
        h.open();
        return h;
    }

    /** "grain type users" for each delta (every delta is one event). */
    private static List<String> deltas(KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, ActiveDelta> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(d -> ActiveUsers.GRAINS.get(d.grain).label() + " " + d.eventType + " " + d.users).toList();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aUsersFirstEventOfATypeInAWindowCountsThemOnceForThatTypeAndForAny() throws Exception {
        var h = marks();
        h.processElement(new StreamRecord<>(event(1, "a", T0, "page_view"), T0));
        assertThat(deltas(h)).containsExactly("1m page_view 1", "1m * 1", "1h page_view 1", "1h * 1", "1d page_view 1",
                "1d * 1");
        h.processElement(new StreamRecord<>(event(1, "b", T0 + 1000, "click"), T0 + 1000));
        assertThat(deltas(h)).containsExactly("1m click 1", "1m * 0", "1h click 1", "1h * 0", "1d click 1", "1d * 0");
        h.processElement(new StreamRecord<>(event(1, "c", T0 + 61_000, "page_view"), T0 + 61_000)); // next minute
        assertThat(deltas(h)).containsExactly("1m page_view 1", "1m * 1", "1h page_view 0", "1h * 0",
                "1d page_view 0", "1d * 0");
    }

    @Test
    void aWindowsMarksAreDroppedOnceItsLatenessIsOverAndTheDayEntryLastsTheDayWithOneTimerPerUser() throws Exception {
        var h = marks();
        h.processElement(new StreamRecord<>(event(1, "a", T0, "page_view"), T0));
        h.processElement(new StreamRecord<>(event(1, "b", T0 + 1000, "click"), T0 + 1000));
        assertThat(h.numEventTimeTimers()).as("one per user, at the 1m window's purge").isEqualTo(1);
        h.processWatermark(T0 + 60_000 - 1 + LATENESS);
        assertThat(h.numEventTimeTimers()).as("moved to the 1h window's purge").isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        deltas(h);
        // The first minute's marks are gone; the hour's and the day's are kept: the next minute adds no user to them.
        h.processElement(new StreamRecord<>(event(1, "c", T0 + 65_000, "page_view"), T0 + 65_000));
        assertThat(deltas(h)).containsExactly("1m page_view 1", "1m * 1", "1h page_view 0", "1h * 0",
                "1d page_view 0", "1d * 0");
        h.processWatermark(T0 + 3_600_000 - 1 + LATENESS);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(Instant.parse("2025-10-04T00:00:00Z").toEpochMilli() - 1 + LATENESS);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void rowsCountUsersAndEventsAreFinalAtTheWindowsEndAndUpdatedByLateEventsWithinLateness() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Tuple3<Integer, Long, String>, ActiveDelta, ActiveUsersRow> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new ActiveUserRows(LATENESS, 1000),
                        d -> Tuple3.of(d.grain, d.windowStart, d.eventType), Types.TUPLE(Types.INT, Types.LONG, Types.STRING));
        h.open();
        h.processElement(new StreamRecord<>(new ActiveDelta(0, T0, "*", 1), T0));
        h.processElement(new StreamRecord<>(new ActiveDelta(0, T0, "*", 0), T0));
        h.processElement(new StreamRecord<>(new ActiveDelta(0, T0, "*", 1), T0));
        h.processWatermark(T0 + 60_000 - 1);                // the minute is over: final row
        h.processElement(new StreamRecord<>(new ActiveDelta(0, T0, "*", 1), T0)); // late, within lateness
        h.processWatermark(T0 + 60_000);                    // written at the next watermark
        h.processWatermark(T0 + 60_000 - 1 + LATENESS);     // lateness over: dropped

        assertThat(h.extractOutputValues()).extracting(r -> r.grain + " " + r.eventType + " " + r.users + " " + r.events
                + " " + r.isFinal).containsExactly("1m * 2 3 true", "1m * 3 4 true");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
