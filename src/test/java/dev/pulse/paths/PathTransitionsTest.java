package dev.pulse.paths;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple3;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PathTransitionsTest {
    private static final long MINUTE = 60_000L;
    private static final long GAP = 30 * MINUTE;
    private static final long HORIZON = 2 * MINUTE;
    private static final long T0 = Instant.parse("2025-10-03T10:00:00Z").toEpochMilli();

    private static BehaviorEvent event(String id, long time, String type) {
        BehaviorEvent e = new BehaviorEvent();
        e.eventId = id;
        e.eventTime = time;
        e.userId = 7;
        e.eventType = type;
        return e;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, TransitionDelta> paths() throws Exception {
        return ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SessionPaths(GAP, HORIZON), e -> e.userId,
                Types.LONG);
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, ?> h, BehaviorEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.eventTime));
    }

    /** "from>to sign×count gap" for each delta. */
    private static List<String> deltas(KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, TransitionDelta> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(d -> Instant.ofEpochMilli(d.hourStart).toString().substring(11, 13) + "h " + d.fromEvent + ">"
                        + d.toEvent + " " + d.count + " " + d.gapMs / 1000 + "s").toList();
        h.getOutput().clear();
        return out;
    }

    @Test
    void consecutiveEventsWithinTheGapAreOneTransitionEachInTheHourOfTheFirst() throws Exception {
        var h = paths();
        h.open();
        send(h, event("a", T0 + 50 * MINUTE, "page_view"));
        send(h, event("b", T0 + 70 * MINUTE, "add_to_cart"));
        send(h, event("c", T0 + 101 * MINUTE, "purchase")); // 31 min after b: a new session, no transition
        assertThat(deltas(h)).containsExactly("10h page_view>add_to_cart 1 1200s");
    }

    @Test
    void aLateEventBetweenTwoEventsReplacesTheirTransitionByTwo() throws Exception {
        var h = paths();
        h.open();
        send(h, event("a", T0, "page_view"));
        send(h, event("b", T0 + 10 * MINUTE, "purchase"));
        assertThat(deltas(h)).containsExactly("10h page_view>purchase 1 600s");

        send(h, event("x", T0 + 4 * MINUTE, "add_to_cart"));
        assertThat(deltas(h)).containsExactly("10h page_view>purchase -1 -600s", "10h page_view>add_to_cart 1 240s",
                "10h add_to_cart>purchase 1 360s");
    }

    @Test
    void anEventBridgingTwoSessionsMergesThemWithTwoTransitions() throws Exception {
        var h = paths();
        h.open();
        send(h, event("a", T0, "page_view"));
        send(h, event("b", T0 + 40 * MINUTE, "click")); // 40 min apart: two sessions
        assertThat(deltas(h)).isEmpty();

        send(h, event("x", T0 + 20 * MINUTE, "add_to_cart")); // 20 min to each side
        assertThat(deltas(h)).containsExactly("10h page_view>add_to_cart 1 1200s", "10h add_to_cart>click 1 1200s");
    }

    @Test
    void eventsExactlyOneGapApartStayInOneSessionAndTiesOrderByEventId() throws Exception {
        var h = paths();
        h.open();
        send(h, event("m", T0, "page_view"));
        send(h, event("n", T0 + GAP, "click"));
        send(h, event("a", T0 + GAP, "purchase")); // same time as n, earlier id: goes between m and n
        assertThat(deltas(h)).containsExactly("10h page_view>click 1 1800s", "10h page_view>click -1 -1800s",
                "10h page_view>purchase 1 1800s", "10h purchase>click 1 0s");
    }

    @Test
    void aRedeliveredEventChangesNothing() throws Exception {
        var h = paths();
        h.open();
        send(h, event("a", T0, "page_view"));
        send(h, event("b", T0 + MINUTE, "click"));
        deltas(h);
        send(h, event("b", T0 + MINUTE, "click"));
        assertThat(deltas(h)).isEmpty();
    }

    @Test
    void eventsNoLateEventCanBorderAreForgottenAndTheStateIsEmptyAfterwards() throws Exception {
        var h = paths();
        h.open();
        send(h, event("a", T0, "page_view"));
        send(h, event("b", T0 + MINUTE, "click"));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(T0 + MINUTE + GAP + HORIZON - 1); // b can still gain a successor
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        h.processWatermark(T0 + 3 * MINUTE + GAP + HORIZON);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void onlyTheLatestEventBehindTheLateFiltersHorizonIsKeptForTheEventsThatCanStillFollowIt() throws Exception {
        RecentEvents r = new RecentEvents();
        for (long m : new long[] {0, 1, 2, 40, 41}) {
            r.insert(r.size, T0 + m * MINUTE, "e" + m, (byte) 0);
        }
        r.forget(T0 + 40 * MINUTE, GAP);   // events from 40 min on can still arrive: 40 and 41 stay, 2 is past the gap
        assertThat(r.size).isEqualTo(2);
        assertThat(r.times[0]).isEqualTo(T0 + 40 * MINUTE);
        r.forget(T0 + 45 * MINUTE, GAP);   // 41 is the latest an arriving event can follow
        assertThat(r.size).isEqualTo(1);
        assertThat(r.ids[0]).isEqualTo("e41");
        r.forget(T0 + 71 * MINUTE + 1, GAP); // more than a gap after it: nothing can follow it any more
        assertThat(r.size).isZero();

        var h = paths();
        h.open();
        send(h, event("a", T0, "page_view"));
        send(h, event("b", T0 + MINUTE, "click"));
        h.processWatermark(T0 + 20 * MINUTE);       // a is forgotten, b stays: within the gap of what can come
        send(h, event("c", T0 + 20 * MINUTE, "purchase"));
        assertThat(deltas(h)).containsExactly("10h page_view>click 1 60s", "10h click>purchase 1 1140s");
    }

    @Test
    void rowsSumTheDeltasAndAreFinalAndDroppedOnceNoEventCanChangeTheirHour() throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Tuple3<Long, String, String>, TransitionDelta, PathTransitionRow> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new TransitionRows(GAP, HORIZON, 1000),
                        d -> Tuple3.of(d.hourStart, d.fromEvent, d.toEvent),
                        Types.TUPLE(Types.LONG, Types.STRING, Types.STRING));
        h.open();
        h.setProcessingTime(0);
        h.processElement(new StreamRecord<>(new TransitionDelta(T0, "page_view", "click", 1, 600_000), T0));
        h.processElement(new StreamRecord<>(new TransitionDelta(T0, "page_view", "click", 1, 301_000), T0));
        h.setProcessingTime(1000); // the early row
        h.processElement(new StreamRecord<>(new TransitionDelta(T0, "page_view", "click", -1, -600_000), T0));
        h.processWatermark(T0 + 3_600_000 + GAP + HORIZON - 1);
        h.processWatermark(T0 + 3_600_000 + GAP + HORIZON);

        List<PathTransitionRow> rows = h.extractOutputValues();
        assertThat(rows).extracting(r -> r.transitions + " " + r.avgGapS + " " + r.isFinal)
                .containsExactly("2 450.50 false", "1 301.00 true");
        assertThat(rows.get(1).windowEnd).isEqualTo(T0 + 3_600_000);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
        assertThat(rows.get(1).avgGapS).isEqualByComparingTo(new BigDecimal("301"));
    }
}
