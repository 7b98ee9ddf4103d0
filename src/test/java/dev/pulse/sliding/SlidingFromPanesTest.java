package dev.pulse.sliding;

import dev.pulse.window.ConstantKey;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SlidingFromPanesTest {
    private static final long MINUTE = 60_000;

    private static ProductPane product(long paneStart, long id, long orders, String gmv) {
        ProductPane p = new ProductPane();
        p.paneStart = paneStart;
        p.productId = id;
        p.productName = "p" + id;
        p.orders = orders;
        p.items = orders;
        p.gmv = new BigDecimal(gmv);
        return p;
    }

    /** A pane; {@code newBuyers[k]}: its buyers new to the window ending k + 1 slides after its start. */
    private static GmvPane gmv(long paneStart, long orders, String amount, long... newBuyers) {
        GmvPane p = new GmvPane();
        p.paneStart = paneStart;
        p.orders = orders;
        p.gmv = new BigDecimal(amount);
        p.newBuyers = newBuyers;
        return p;
    }

    private static <P, R> KeyedOneInputStreamOperatorTestHarness<Integer, P, R> harness(SlidingFromPanes<P, ?, R> fn)
            throws Exception {
        KeyedOneInputStreamOperatorTestHarness<Integer, P, R> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(fn, new ConstantKey<>(), Types.INT);
        h.setProcessingTime(0);
        return h;
    }

    private static <R> List<R> drain(KeyedOneInputStreamOperatorTestHarness<Integer, ?, R> h) {
        List<R> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aRewriteReRanksAndTheProductThatFellOutLeavesNoRow() throws Exception {
        var h = harness(new TopProducts(5 * MINUTE, MINUTE, MINUTE, 1000, 2));
        h.processElement(new StreamRecord<>(product(0, 1, 3, "30")));
        h.processElement(new StreamRecord<>(product(0, 2, 2, "20")));
        h.processElement(new StreamRecord<>(product(0, 3, 1, "10")));
        h.setProcessingTime(1000);
        List<TopProductRow> first = drain(h).stream().filter(r -> r.windowEnd == MINUTE).toList();
        assertThat(first).extracting(r -> r.rank + ":" + r.productId).containsExactly("1:1", "2:2");

        h.processElement(new StreamRecord<>(product(0, 3, 5, "50"))); // product 3's pane grew: it takes rank 1
        h.setProcessingTime(2000);

        List<TopProductRow> rewrite = drain(h).stream().filter(r -> r.windowEnd == MINUTE).toList();
        assertThat(rewrite).extracting(r -> r.rank + ":" + r.productId).containsExactly("1:3", "2:1");
    }

    @Test
    void ranksByOrdersThenGmvThenProductIdAcrossPanes() throws Exception {
        var h = harness(new TopProducts(5 * MINUTE, MINUTE, MINUTE, 1000, 10));
        h.processElement(new StreamRecord<>(product(0, 7, 1, "5")));
        h.processElement(new StreamRecord<>(product(MINUTE, 7, 1, "5")));   // 7: 2 orders, gmv 10
        h.processElement(new StreamRecord<>(product(MINUTE, 5, 2, "10")));  // 5: 2 orders, gmv 10 -> before 7
        h.processElement(new StreamRecord<>(product(MINUTE, 9, 2, "11")));  // 9: 2 orders, gmv 11 -> first
        h.processElement(new StreamRecord<>(product(MINUTE, 1, 1, "99")));  // 1: 1 order -> last
        h.processWatermark(new Watermark(2 * MINUTE - 1));

        List<TopProductRow> rows = drain(h).stream().filter(r -> r.windowEnd == 2 * MINUTE).toList();
        assertThat(rows).extracting(r -> r.rank + ":" + r.productId + ":" + r.orders)
                .containsExactly("1:9:2", "2:5:2", "3:7:2", "4:1:1");
        assertThat(rows).allMatch(r -> r.isFinal && r.windowStart == 2 * MINUTE - 5 * MINUTE);
    }

    @Test
    void addsUpPanesAndTheBuyersEachPaneHoldsNewToTheWindow() throws Exception {
        var h = harness(new GmvSliding(5 * MINUTE, MINUTE, MINUTE, 1000, 0));
        // Buyers 1 and 2 in the first minute; 2 and 3 in the second: 2 is new only to the window ending at 6 min.
        h.processElement(new StreamRecord<>(gmv(0, 2, "3.50", 2, 2, 2, 2, 2)));
        h.processElement(new StreamRecord<>(gmv(MINUTE, 2, "1.25", 1, 1, 1, 1, 2)));
        h.processWatermark(new Watermark(2 * MINUTE - 1));

        GmvSlidingRow row = drain(h).stream().filter(r -> r.windowEnd == 2 * MINUTE).findFirst().orElseThrow();
        assertThat(row.orders).isEqualTo(4);
        assertThat(row.gmv).isEqualByComparingTo("4.75");
        assertThat(row.uniqueBuyers).isEqualTo(3);
        assertThat(row.windowSizeS).isEqualTo(300);
        assertThat(row.isFinal).isTrue();
    }

    @Test
    void emitsTheFinalRowAtTheWindowEndEvenWhenAnEarlyTickWroteTheSameValue() throws Exception {
        var h = harness(new GmvSliding(5 * MINUTE, MINUTE, MINUTE, 1000, 0));
        h.processElement(new StreamRecord<>(gmv(0, 1, "1", 1)));
        h.setProcessingTime(1000);
        assertThat(drain(h)).isNotEmpty().allMatch(r -> !r.isFinal);

        h.processWatermark(new Watermark(MINUTE - 1));

        assertThat(drain(h)).extracting(r -> r.windowEnd + ":" + r.isFinal).containsExactly(MINUTE + ":true");
    }

    @Test
    void panesAreDroppedOnceNoWindowCanChange() throws Exception {
        var h = harness(new GmvSliding(5 * MINUTE, MINUTE, MINUTE, 1000, 0));
        h.processElement(new StreamRecord<>(gmv(0, 1, "1", 1)));
        assertThat(h.numKeyedStateEntries()).isPositive();

        h.processWatermark(new Watermark(6 * MINUTE - 1)); // last window [0, 5 min) closed + 1 min lateness

        assertThat(drain(h)).extracting(r -> r.windowEnd).containsExactly(MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE, 5 * MINUTE);
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @Test
    void afterARestoreAPaneReEmittedBeforeTheFirstWatermarkStillEndsInTheFinalRowOfAWindowAlreadyFinal() throws Exception {
        var h = harness(new GmvSliding(5 * MINUTE, MINUTE, MINUTE, 1000, 0));
        h.processElement(new StreamRecord<>(gmv(4 * MINUTE, 2, "20", 1)));
        h.processWatermark(new Watermark(5 * MINUTE + 10_000)); // [0, 5min) final
        assertThat(drain(h)).filteredOn(r -> r.windowEnd == 5 * MINUTE).extracting(r -> r.isFinal).containsExactly(true);
        var snapshot = h.snapshot(1, 1);
        h.close();

        // A restart: the operator starts again without a watermark, and the pane upstream re-emits its last value.
        var restored = new KeyedOneInputStreamOperatorTestHarness<Integer, GmvPane, GmvSlidingRow>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                        new GmvSliding(5 * MINUTE, MINUTE, MINUTE, 1000, 0)), new ConstantKey<>(), Types.INT);
        restored.setProcessingTime(0);
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(new StreamRecord<>(gmv(4 * MINUTE, 2, "20", 1)));
        restored.setProcessingTime(1000);
        restored.processWatermark(new Watermark(5 * MINUTE + 20_000));
        restored.setProcessingTime(2000);
        List<GmvSlidingRow> rows = drain(restored).stream().filter(r -> r.windowEnd == 5 * MINUTE).toList();
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(rows.size() - 1).isFinal).as("the last row written for [0, 5min)").isTrue();
    }

    @Test
    void afterARestoreFromBeforeTheWindowEndTheReplayEndsInTheFinalRow() throws Exception {
        long hour = 60 * MINUTE;
        var h = harness(new GmvSliding(hour, 5 * MINUTE, MINUTE, 1000, 0));
        h.processElement(new StreamRecord<>(gmv(hour - 5 * MINUTE, 2, "20", 1)));
        h.processWatermark(new Watermark(hour - 2 * MINUTE));
        h.setProcessingTime(1000);
        drain(h);
        var snapshot = h.snapshot(1, 1000);
        h.close();

        var restored = new KeyedOneInputStreamOperatorTestHarness<Integer, GmvPane, GmvSlidingRow>(
                new org.apache.flink.streaming.api.operators.KeyedProcessOperator<>(
                        new GmvSliding(hour, 5 * MINUTE, MINUTE, 1000, 0)), new ConstantKey<>(), Types.INT);
        restored.setProcessingTime(1000);
        restored.initializeState(snapshot);
        restored.open();
        restored.processElement(new StreamRecord<>(gmv(hour - 5 * MINUTE, 3, "30", 1, 1)));
        restored.setProcessingTime(2000);
        restored.processElement(new StreamRecord<>(gmv(hour, 1, "10", 1)));
        restored.processWatermark(new Watermark(hour + 30_000));
        restored.setProcessingTime(3000);
        restored.processWatermark(new Watermark(Long.MAX_VALUE));
        List<GmvSlidingRow> rows = drain(restored).stream().filter(r -> r.windowEnd == hour).toList();
        assertThat(rows).isNotEmpty();
        assertThat(rows.get(rows.size() - 1).isFinal).as("the last row written for [0, 1h): " + rows.size() + " rows").isTrue();
    }
}
