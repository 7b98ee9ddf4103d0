package dev.pulse.sliding;

import dev.pulse.events.OrderEvent;
import dev.pulse.support.Disorder;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** A buyer counted once per sliding window, in the pane of its first order there; marks kept while a window can change. */
class GmvBuyersFunctionTest {
    private static final long MINUTE = 60_000;
    private static final long LATENESS = MINUTE;

    private static KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, GmvPane> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, GmvPane>(
                new KeyedProcessOperator<>(new GmvBuyersFunction(LATENESS)), e -> e.userId, Types.LONG);
        h.open();
        return h;
    }

    private static OrderEvent paid(long user, long time) {
        OrderEvent e = new OrderEvent();
        e.eventId = user + "-" + time;
        e.userId = user;
        e.status = OrderEvent.PAID;
        e.amount = new BigDecimal("1.25");
        e.eventTime = time;
        return e;
    }

    private static GmvPane send(KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, GmvPane> h, OrderEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.eventTime));
        List<GmvPane> out = h.extractOutputValues();
        h.getOutput().clear();
        return out.isEmpty() ? null : out.get(0);
    }

    @Test
    void aBuyerIsNewOnlyToTheWindowsItHadNotBoughtIn() throws Exception {
        var h = harness();
        GmvPane first = send(h, paid(7, 10 * MINUTE + 5));
        assertThat(first.paneStart).isEqualTo(10 * MINUTE);
        assertThat(first.orders).isEqualTo(1);
        assertThat(first.newBuyers).hasSize(5 + 12).containsOnly(1L);

        // Two minutes later: windows of 5 min ending 11..15 min already hold the buyer, those ending 16, 17 do not.
        GmvPane second = send(h, paid(7, 12 * MINUTE));
        assertThat(second.newBuyers).startsWith(0, 0, 0, 1, 1);
        // The same 5-minute pane of the hourly family: no hourly window is new.
        assertThat(java.util.Arrays.copyOfRange(second.newBuyers, 5, 17)).containsOnly(0L);
    }

    @Test
    void anOrderThatIsNotPaidIsNotAPaneAndLeavesNoMark() throws Exception {
        var h = harness();
        OrderEvent cancelled = paid(7, 1_000);
        cancelled.status = OrderEvent.CANCELLED;
        assertThat(send(h, cancelled)).isNull();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void marksGoOnceTheLastWindowHoldingThemTakesNoMoreEvents() throws Exception {
        var h = harness();
        send(h, paid(7, 0));
        send(h, paid(7, 3 * MINUTE));
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(new Watermark(60 * MINUTE - 1 + LATENESS - 1));
        assertThat(h.numKeyedStateEntries()).isEqualTo(1); // the pane [0, 5 min) of the hourly family

        h.processWatermark(new Watermark(60 * MINUTE - 1 + LATENESS));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anyArrivalOrderWithinLatenessCountsEachBuyerOncePerSlidingWindow() throws Exception {
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            List<OrderEvent> orders = new ArrayList<>();
            for (int i = 0; i < 300; i++) {
                orders.add(paid(1 + random.nextInt(8), 5 * MINUTE + random.nextInt((int) (150 * MINUTE))));
            }
            Disorder.sortThenSwapNeighbours(orders, random, 30_000); // disorder: neighbours up to 30 s apart swap
            var h = harness();
            Map<String, Long> counted = new HashMap<>();
            long maxTime = Long.MIN_VALUE;
            for (OrderEvent e : orders) {
                GmvPane p = send(h, e);
                maxTime = Math.max(maxTime, e.eventTime);
                h.processWatermark(new Watermark(maxTime - 1)); // the disordered ones arrive late, within lateness
                for (int f = 0; f < SlidingMetrics.SLIDING.size(); f++) {
                    long size = SlidingMetrics.SLIDING.get(f).size().toMillis();
                    long slide = SlidingMetrics.SLIDING.get(f).slide().toMillis();
                    long pane = p.paneStart - Math.floorMod(p.paneStart, slide);
                    for (int k = 0; k < size / slide; k++) {
                        counted.merge(f + "|" + (pane + (k + 1) * slide), p.newBuyers[SlidingMetrics.buyersOffset(f) + k],
                                Long::sum);
                    }
                }
            }
            counted.values().removeIf(n -> n == 0);
            assertThat(counted).as("seed " + seed).isEqualTo(distinctBuyers(orders));
        }
    }

    /** Per family and window end: the distinct buyers with an order in [end - size, end). */
    private static Map<String, Long> distinctBuyers(List<OrderEvent> orders) {
        Map<String, Set<Long>> buyers = new HashMap<>();
        for (OrderEvent e : orders) {
            for (int f = 0; f < SlidingMetrics.SLIDING.size(); f++) {
                long size = SlidingMetrics.SLIDING.get(f).size().toMillis();
                long slide = SlidingMetrics.SLIDING.get(f).slide().toMillis();
                for (long end = e.eventTime - Math.floorMod(e.eventTime, slide) + slide; end <= e.eventTime + size; end += slide) {
                    buyers.computeIfAbsent(f + "|" + end, k -> new HashSet<>()).add(e.userId);
                }
            }
        }
        return Disorder.sizes(buyers);
    }
}
