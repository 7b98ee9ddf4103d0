package dev.pulse.orders;

import dev.pulse.events.OrderEvent;
import dev.pulse.support.Disorder;
import dev.pulse.window.Rollup;

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

/** Buyers counted once per window and rollup key, where they are new; their marks kept no longer than needed. */
class OrderBuyersFunctionTest {
    private static final long MINUTE = 60_000;
    private static final long HOUR = 60 * MINUTE;
    private static final long DAY = 24 * HOUR;
    private static final long LATENESS = MINUTE;
    private static final long[] SIZES = {MINUTE, HOUR, DAY};

    private static KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderFact> harness() throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderFact>(
                new KeyedProcessOperator<>(new OrderBuyersFunction(LATENESS)), e -> e.userId, Types.LONG);
        h.open();
        return h;
    }

    private static OrderEvent order(long user, String status, String region, String city, long time) {
        OrderEvent e = new OrderEvent();
        e.eventId = user + "-" + time + "-" + region + city;
        e.userId = user;
        e.status = status;
        e.region = region;
        e.city = city;
        e.quantity = 1;
        e.amount = new BigDecimal("2.50");
        e.eventTime = time;
        return e;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderFact> h, OrderEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.eventTime));
    }

    /** The facts of one order: "region/city" -> new buyers per grain (1m, 1h, 1d). */
    private static Map<String, List<Long>> facts(KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, OrderFact> h) {
        Map<String, List<Long>> out = new HashMap<>();
        for (OrderFact f : h.extractOutputValues()) {
            out.put(f.region + "/" + f.city, List.of(f.newBuyers[0], f.newBuyers[1], f.newBuyers[2]));
        }
        h.getOutput().clear();
        return out;
    }

    @Test
    void aBuyerCountsOncePerWindowAndRollupKey() throws Exception {
        var h = harness();
        send(h, order(7, OrderEvent.PAID, "华东", "上海", 1_000));
        assertThat(facts(h)).containsOnly(Map.entry("*/*", List.of(1L, 1L, 1L)),
                Map.entry("华东/*", List.of(1L, 1L, 1L)), Map.entry("华东/上海", List.of(1L, 1L, 1L)));

        send(h, order(7, OrderEvent.PAID, "华东", "杭州", 2_000)); // same minute and region, another city
        assertThat(facts(h)).containsOnly(Map.entry("*/*", List.of(0L, 0L, 0L)),
                Map.entry("华东/*", List.of(0L, 0L, 0L)), Map.entry("华东/杭州", List.of(1L, 1L, 1L)));

        send(h, order(7, OrderEvent.PAID, "华东", "上海", MINUTE + 5)); // the next minute: new to its 1m window only
        assertThat(facts(h)).containsOnly(Map.entry("*/*", List.of(1L, 0L, 0L)),
                Map.entry("华东/*", List.of(1L, 0L, 0L)), Map.entry("华东/上海", List.of(1L, 0L, 0L)));
    }

    @Test
    void aCancelledOrderAddsFactsButNoBuyerAndNoMark() throws Exception {
        var h = harness();
        send(h, order(7, OrderEvent.CANCELLED, "华东", "上海", 1_000));
        List<OrderFact> out = h.extractOutputValues();
        assertThat(out).hasSize(3).allMatch(f -> f.cancelledOrders == 1 && f.orders == 0
                && f.newBuyers[0] + f.newBuyers[1] + f.newBuyers[2] == 0);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void pendingAndCompletedOrdersAddNothing() throws Exception {
        var h = harness();
        send(h, order(7, OrderEvent.PENDING, "华东", "上海", 1_000));
        send(h, order(7, OrderEvent.COMPLETED, "华东", "上海", 2_000));
        assertThat(h.extractOutputValues()).isEmpty();
        assertThat(h.numKeyedStateEntries()).isZero();
    }

    @Test
    void keepsOneTimerPerBuyerAndForgetsEveryMarkOnceItsWindowTakesNoMoreEvents() throws Exception {
        var h = harness();
        for (int i = 0; i < 10; i++) {
            send(h, order(7, OrderEvent.PAID, "华东", "上海", i * MINUTE));
        }
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(new Watermark(10 * MINUTE + LATENESS)); // every 1-minute mark gone, hour and day kept
        facts(h);
        send(h, order(7, OrderEvent.PAID, "华东", "上海", 10 * MINUTE + LATENESS + 1));
        assertThat(facts(h).get("华东/上海")).containsExactly(1L, 0L, 0L);
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
        assertThat(h.numEventTimeTimers()).isEqualTo(1);

        h.processWatermark(new Watermark(DAY - 1 + LATENESS));
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }

    @Test
    void anyArrivalOrderWithinLatenessCountsEachBuyerOncePerWindow() throws Exception {
        String[][] places = {{"华东", "上海"}, {"华东", "杭州"}, {"华北", "北京"}};
        for (long seed = 1; seed <= 30; seed++) {
            Random random = new Random(seed);
            List<OrderEvent> orders = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                String[] place = places[random.nextInt(places.length)];
                orders.add(order(1 + random.nextInt(6), OrderEvent.PAID, place[0], place[1],
                        DAY - 3 * HOUR + (long) random.nextInt((int) (6 * HOUR))));
            }
            Disorder.sortThenSwapNeighbours(orders, random, 30_000); // disorder: neighbours up to 30 s apart swap
            var h = harness();
            Map<String, Long> counted = new HashMap<>();
            long maxTime = Long.MIN_VALUE;
            for (OrderEvent e : orders) {
                send(h, e);
                maxTime = Math.max(maxTime, e.eventTime);
                h.processWatermark(new Watermark(maxTime - 1)); // the disordered ones arrive late, within lateness
                for (OrderFact f : h.extractOutputValues()) {
                    for (int g = 0; g < 3; g++) {
                        counted.merge(key(g, f.minuteStart, f.region, f.city), f.newBuyers[g], Long::sum);
                    }
                }
                h.getOutput().clear();
            }
            counted.values().removeIf(n -> n == 0);
            assertThat(counted).as("seed " + seed).isEqualTo(distinctBuyers(orders));
        }
    }

    private static String key(int grain, long time, String region, String city) {
        return grain + "|" + (time - Math.floorMod(time, SIZES[grain])) + "|" + region + "|" + city;
    }

    private static Map<String, Long> distinctBuyers(List<OrderEvent> orders) {
        Map<String, Set<Long>> buyers = new HashMap<>();
        for (OrderEvent e : orders) {
            for (int g = 0; g < 3; g++) {
                for (String[] level : new String[][] {{Rollup.ALL, Rollup.ALL}, {e.region, Rollup.ALL}, {e.region, e.city}}) {
                    buyers.computeIfAbsent(key(g, e.eventTime, level[0], level[1]), k -> new HashSet<>()).add(e.userId);
                }
            }
        }
        return Disorder.sizes(buyers);
    }
}
