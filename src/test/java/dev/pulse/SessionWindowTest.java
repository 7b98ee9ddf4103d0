package dev.pulse;

import dev.pulse.clean.LateFilter;
import dev.pulse.config.PulseOptions;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.sessions.SessionDelta;
import dev.pulse.sessions.SessionFunnelRow;
import dev.pulse.sessions.SessionHourRows;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The per-user session window exactly as the job builds it (gap 5 min), and the hourly rows after it. */
class SessionWindowTest {
    private static final long MINUTE = 60_000;
    private int ids;

    private KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, SessionDelta> sessions() throws Exception {
        PulseOptions options = PulseOptions.parse(new String[] {"--session-gap", "5min"}, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var byUser = env.fromData(event("page_view", 0)).keyBy(e -> e.userId, Types.LONG);
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<BehaviorEvent, SessionDelta> op = ((OneInputTransformation<BehaviorEvent, SessionDelta>)
                dev.pulse.sessions.SessionFunnel.sessionWindow(byUser, options).getTransformation()).getOperator();
        var h = new KeyedOneInputStreamOperatorTestHarness<>(op, (BehaviorEvent e) -> e.userId, Types.LONG);
        h.open();
        h.setProcessingTime(0);
        return h;
    }

    private BehaviorEvent event(String type, long time) {
        BehaviorEvent e = new BehaviorEvent();
        e.eventId = "e" + (ids++);
        e.userId = 42;
        e.eventType = type;
        e.eventTime = time;
        e.deviceType = "mobile";
        return e;
    }

    /** Net session count under the '*' rollup after all deltas so far. */
    private static long netSessions(List<SessionDelta> deltas) {
        return deltas.stream().filter(d -> d.device.equals("*")).mapToLong(d -> d.sign).sum();
    }

    private static long netEvents(List<SessionDelta> deltas) {
        return deltas.stream().filter(d -> d.device.equals("*")).mapToLong(d -> d.events).sum();
    }

    @Test
    void eventsExactlyOneGapApartStayOneSession() throws Exception {
        var h = sessions();
        h.processElement(new StreamRecord<>(event("page_view", 0), 0));
        h.processElement(new StreamRecord<>(event("click", 5 * MINUTE), 5 * MINUTE));
        h.processWatermark(new Watermark(20 * MINUTE));

        List<SessionDelta> deltas = h.extractOutputValues();
        assertThat(netSessions(deltas)).isEqualTo(1);
        assertThat(netEvents(deltas)).isEqualTo(2);
    }

    @Test
    void eventsMoreThanOneGapApartAreTwoSessions() throws Exception {
        var h = sessions();
        h.processElement(new StreamRecord<>(event("page_view", 0), 0));
        h.processElement(new StreamRecord<>(event("click", 5 * MINUTE + 1), 5 * MINUTE + 1));
        h.processWatermark(new Watermark(20 * MINUTE));

        assertThat(netSessions(h.extractOutputValues())).isEqualTo(2);
    }

    @Test
    void aLateEventBridgingTwoSessionsMergesThemAndMovesTheCounts() throws Exception {
        var h = sessions();
        h.processElement(new StreamRecord<>(event("page_view", 0), 0));
        h.processElement(new StreamRecord<>(event("page_view", 8 * MINUTE), 8 * MINUTE));
        h.processWatermark(new Watermark(5 * MINUTE + 10_000)); // [0, 5 min) is final, kept for 60 s lateness
        h.setProcessingTime(1000);                     // the open second one is reported early
        assertThat(netSessions(h.extractOutputValues())).isEqualTo(2);

        h.processElement(new StreamRecord<>(event("add_to_cart", 4 * MINUTE), 4 * MINUTE)); // late, within lateness
        h.setProcessingTime(2000);

        List<SessionDelta> deltas = h.extractOutputValues();
        assertThat(netSessions(deltas)).isEqualTo(1);
        assertThat(netEvents(deltas)).isEqualTo(3);
        long netCarts = deltas.stream().filter(d -> d.device.equals("*")).mapToLong(d -> d.reachedCart).sum();
        assertThat(netCarts).isEqualTo(1);
    }

    @Test
    void anEventOnTimeForItsMinuteBridgesIntoASessionWhoseWindowEndedJustBeforeIt() throws Exception {
        var h = sessions();
        long lastOfSession = 26_780;                           // 00:00:26.780
        long bridging = 5 * MINUTE + 21_879;                   // 00:05:21.879, within the 5 min gap of it
        long watermark = 6 * MINUTE + 41_741;                  // when the bridging event arrives
        // The boundary this test is about: the event passes the late filter (its minute ends 00:06:00, +60 s),
        // although the session's own window (ends 00:05:26.780) is more than the allowed lateness behind.
        assertThat(LateFilter.isLate(bridging, watermark, MINUTE, MINUTE)).isFalse();
        assertThat(lastOfSession + 5 * MINUTE - 1 + MINUTE).isLessThanOrEqualTo(watermark);

        h.processElement(new StreamRecord<>(event("page_view", 0), 0));
        h.processElement(new StreamRecord<>(event("add_to_cart", lastOfSession), lastOfSession));
        h.processWatermark(new Watermark(watermark));
        h.setProcessingTime(1000);
        assertThat(netSessions(h.extractOutputValues())).isEqualTo(1);

        h.processElement(new StreamRecord<>(event("checkout_start", bridging), bridging));
        h.setProcessingTime(2000);
        h.processWatermark(new Watermark(bridging + 5 * MINUTE + 2 * MINUTE));

        List<SessionDelta> deltas = h.extractOutputValues();
        assertThat(netSessions(deltas)).as("one session, not split by the purge").isEqualTo(1);
        assertThat(netEvents(deltas)).isEqualTo(3);
        assertThat(deltas.stream().filter(d -> d.device.equals("*")).mapToLong(d -> d.reachedCheckout).sum()).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).as("window state after the session is purged").isZero();
    }

    private static long netOpen(List<SessionDelta> deltas) {
        return deltas.stream().filter(d -> d.device.equals("*")).mapToLong(d -> d.open).sum();
    }

    @Test
    void everyEventIsReportedAtOnceAndTheSessionOnceMoreAsClosedWhenTheWatermarkPassesItsEnd() throws Exception {
        var h = sessions();
        h.processElement(new StreamRecord<>(event("page_view", 0), 0));
        h.processElement(new StreamRecord<>(event("add_to_cart", MINUTE), MINUTE));
        assertThat(netSessions(h.extractOutputValues())).as("reported without waiting for a tick").isEqualTo(1);
        assertThat(netEvents(h.extractOutputValues())).isEqualTo(2);
        assertThat(netOpen(h.extractOutputValues())).isEqualTo(1);

        h.processWatermark(new Watermark(6 * MINUTE - 1)); // the session's end: last event + gap - 1
        List<SessionDelta> deltas = h.extractOutputValues();
        assertThat(netOpen(deltas)).as("the closed version replaces the open one").isZero();
        assertThat(netSessions(deltas)).isEqualTo(1);
        assertThat(h.numKeyedStateEntries()).as("kept for the session lateness").isEqualTo(1);

        h.processWatermark(new Watermark(6 * MINUTE - 1 + 2 * MINUTE)); // + allowed lateness + one minute
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(netSessions(h.extractOutputValues())).as("a forgotten session stays counted").isEqualTo(1);
    }

    @Test
    void aUserHoldsOneTimerAndNoProcessingTimeTimerHoweverLongTheSession() throws Exception {
        var h = sessions();
        for (int i = 0; i < 20; i++) {
            h.processElement(new StreamRecord<>(event("page_view", i * MINUTE), i * MINUTE));
        }
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(h.numProcessingTimeTimers()).isZero();

        h.processWatermark(new Watermark(10 * MINUTE)); // the first end is stale: the timer moves to the real one
        assertThat(h.numEventTimeTimers()).isEqualTo(1);
        assertThat(netOpen(h.extractOutputValues())).isEqualTo(1);
        h.processWatermark(new Watermark(Long.MAX_VALUE));
        assertThat(netSessions(h.extractOutputValues())).isEqualTo(1);
        assertThat(netEvents(h.extractOutputValues())).isEqualTo(20);
        assertThat(netOpen(h.extractOutputValues())).isZero();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void anEventWhoseSessionWouldAlreadyBeForgottenIsDroppedAsTheWindowOperatorDropsIt() throws Exception {
        var h = sessions();
        h.processWatermark(new Watermark(30 * MINUTE));
        h.processElement(new StreamRecord<>(event("page_view", 30 * MINUTE - 7 * MINUTE), 0)); // end + 2 min < wm
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();

        h.processElement(new StreamRecord<>(event("page_view", 30 * MINUTE - 6 * MINUTE), 0)); // within lateness
        assertThat(netSessions(h.extractOutputValues())).isEqualTo(1);
        assertThat(netOpen(h.extractOutputValues())).as("reported as closed: its end has passed").isZero();
    }

    /**
     * Property: whatever the arrival order (disorder up to 10 minutes, the watermark 15 minutes behind the latest
     * event, so nothing is dropped), the net changes per (hour, device) equal the sessions cut from the sorted
     * events (a new session where the next event is more than one gap after the last), 100 seeded histories.
     */
    @Test
    void anyArrivalOrderWithinLatenessNetsToTheSessionsOfTheSortedEvents() throws Exception {
        String[] types = {"page_view", "click", "add_to_cart", "checkout_start", "purchase"};
        String[] devices = {"mobile", "desktop"};
        for (long seed = 0; seed < 100; seed++) {
            java.util.SplittableRandom r = new java.util.SplittableRandom(seed);
            List<BehaviorEvent> history = new java.util.ArrayList<>();
            long t = 0;
            for (int i = 0, n = 5 + r.nextInt(40); i < n; i++) {
                // Whole minutes: events exactly one gap apart, and at the same instant, come up often.
                t += MINUTE * (r.nextInt(4) == 0 ? r.nextInt(4, 12) : r.nextInt(0, 3));
                BehaviorEvent e = event(types[r.nextInt(types.length)], t);
                e.deviceType = devices[r.nextInt(2)];
                history.add(e);
            }
            List<BehaviorEvent> arrival = new java.util.ArrayList<>(history);
            java.util.Map<BehaviorEvent, Long> jitter = new java.util.IdentityHashMap<>();
            arrival.forEach(e -> jitter.put(e, e.eventTime + r.nextLong(0, 10 * MINUTE)));
            arrival.sort(java.util.Comparator.comparingLong(jitter::get));

            var h = sessions();
            long maxSeen = Long.MIN_VALUE;
            for (BehaviorEvent e : arrival) {
                h.processElement(new StreamRecord<>(e, e.eventTime));
                maxSeen = Math.max(maxSeen, e.eventTime);
                h.processWatermark(new Watermark(maxSeen - 15 * MINUTE));
            }
            h.processWatermark(new Watermark(Long.MAX_VALUE));

            assertThat(net(h.extractOutputValues())).as("seed " + seed).isEqualTo(expectedRows(history));
            assertThat(h.numKeyedStateEntries()).isZero();
        }
    }

    /** Per "hour|device": sessions, bounced, events, duration, view, cart, checkout, purchase, open. */
    private static Map<String, List<Long>> net(List<SessionDelta> deltas) {
        Map<String, List<Long>> rows = new java.util.TreeMap<>();
        for (SessionDelta d : deltas) {
            add(rows, d.hourStart + "|" + d.device, d.sign, d.bounced, d.events, d.durationMs, d.reachedView,
                    d.reachedCart, d.reachedCheckout, d.reachedPurchase, d.open);
        }
        rows.values().removeIf(v -> v.stream().allMatch(x -> x == 0));
        return rows;
    }

    private static Map<String, List<Long>> expectedRows(List<BehaviorEvent> history) {
        List<BehaviorEvent> sorted = new java.util.ArrayList<>(history);
        sorted.sort(java.util.Comparator.comparingLong((BehaviorEvent e) -> e.eventTime).thenComparing(e -> e.eventId));
        Map<String, List<Long>> rows = new java.util.TreeMap<>();
        List<BehaviorEvent> session = new java.util.ArrayList<>();
        for (int i = 0; i <= sorted.size(); i++) {
            if (!session.isEmpty() && (i == sorted.size()
                    || sorted.get(i).eventTime - session.get(session.size() - 1).eventTime > 5 * MINUTE)) {
                var fold = new dev.pulse.sessions.SessionAggregate();
                var acc = fold.createAccumulator();
                session.forEach(e -> fold.add(e, acc));
                var s = fold.getResult(acc);
                long hour = s.start - Math.floorMod(s.start, 60 * MINUTE);
                for (String device : List.of(s.device, "*")) {
                    add(rows, hour + "|" + device, 1, s.events == 1 ? 1 : 0, s.events, s.last - s.start,
                            s.reachedView ? 1 : 0, s.reachedCart ? 1 : 0, s.reachedCheckout ? 1 : 0,
                            s.reachedPurchase ? 1 : 0, 0);
                }
                session.clear();
            }
            if (i < sorted.size()) {
                session.add(sorted.get(i));
            }
        }
        return rows;
    }

    private static void add(Map<String, List<Long>> rows, String key, long... values) {
        List<Long> row = rows.computeIfAbsent(key, k -> new java.util.ArrayList<>(java.util.Collections.nCopies(values.length, 0L)));
        for (int i = 0; i < values.length; i++) {
            row.set(i, row.get(i) + values[i]);
        }
    }

    private static SessionDelta delta(int sign, long last, boolean open, long events) {
        SessionDelta d = new SessionDelta();
        d.hourStart = 0;
        d.device = "*";
        d.sign = sign;
        d.events = sign * events;
        d.sessionLast = last;
        d.open = open ? sign : 0;
        return d;
    }

    @Test
    void anHourRowSurvivesASessionThatGrowsAfterTheRowsClosePointAndEndsFinal() throws Exception {
        long hour = 60 * MINUTE;
        KeyedOneInputStreamOperatorTestHarness<Tuple2<Long, String>, SessionDelta, SessionFunnelRow> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new SessionHourRows(5 * MINUTE, MINUTE, 1000),
                        d -> Tuple2.of(d.hourStart, d.device), Types.TUPLE(Types.LONG, Types.STRING));
        h.processElement(new StreamRecord<>(delta(+1, 50 * MINUTE, true, 2)));
        h.processWatermark(new Watermark(hour + MINUTE)); // the row's close point: its session is still open
        SessionFunnelRow early = h.extractOutputValues().get(0);
        assertThat(early.sessions).isEqualTo(1);
        assertThat(early.isFinal).isFalse();
        h.getOutput().clear();

        h.processElement(new StreamRecord<>(delta(-1, 50 * MINUTE, true, 2)));   // the grown session replaces
        h.processElement(new StreamRecord<>(delta(+1, 70 * MINUTE, false, 5)));  // its old version, now final
        h.processWatermark(new Watermark(hour + 16 * MINUTE)); // its last event + gap + lateness

        List<SessionFunnelRow> rows = h.extractOutputValues();
        SessionFunnelRow last = rows.get(rows.size() - 1);
        assertThat(last.sessions).isEqualTo(1);
        assertThat(last.avgEvents).isEqualByComparingTo("5");
        assertThat(last.isFinal).isTrue();

        h.processWatermark(new Watermark(hour + 20 * MINUTE + SessionHourRows.RETENTION));
        assertThat(h.numKeyedStateEntries()).isZero();
    }
}
