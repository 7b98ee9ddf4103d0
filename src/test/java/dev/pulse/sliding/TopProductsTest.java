package dev.pulse.sliding;

import dev.pulse.window.ConstantKey;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.heap.HeapKeyedStateBackend;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.state.rocksdb.RocksDBKeyedStateBackend;
import org.apache.flink.streaming.api.operators.AbstractStreamOperator;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** top_products on both state backends: its panes are kept as one entry per (pane, product). */
class TopProductsTest {
    private static final long MINUTE = 60_000;

    enum Backend { HEAP, ROCKSDB }

    private final List<KeyedOneInputStreamOperatorTestHarness<Integer, ProductPane, TopProductRow>> opened =
            new ArrayList<>();

    @AfterEach
    void closeHarnesses() throws Exception {
        for (var h : opened) {
            h.close();
        }
    }

    /** One product's pane as the upstream window emits it: its whole value so far. */
    private static ProductPane product(long paneStart, long id, long orders, String gmv) {
        ProductPane p = new ProductPane();
        p.paneStart = paneStart;
        p.productId = id;
        p.productName = "p" + id;
        p.orders = orders;
        p.items = 10 * orders;
        p.gmv = new BigDecimal(gmv);
        return p;
    }

    /** 5-minute windows every minute, 1 minute of lateness, ticks every second. */
    private KeyedOneInputStreamOperatorTestHarness<Integer, ProductPane, TopProductRow> harness(Backend backend, int topN,
                                                                                                 OperatorSubtaskState restore)
            throws Exception {
        var h = new KeyedOneInputStreamOperatorTestHarness<Integer, ProductPane, TopProductRow>(
                new KeyedProcessOperator<>(new TopProducts(5 * MINUTE, MINUTE, MINUTE, 1000, topN)),
                new ConstantKey<>(), Types.INT);
        if (backend == Backend.ROCKSDB) {
            EmbeddedRocksDBStateBackend rocksDb = new EmbeddedRocksDBStateBackend();
            rocksDb.getMemoryConfiguration().setUseManagedMemory(false); // a harness has next to none: warnings only
            h.setStateBackend(rocksDb);
        }
        h.setProcessingTime(0);
        if (restore != null) {
            h.initializeState(restore);
        }
        h.open();
        opened.add(h);
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Integer, ProductPane, ?> h, ProductPane... panes)
            throws Exception {
        for (ProductPane p : panes) {
            h.processElement(new StreamRecord<>(p));
        }
    }

    private static List<TopProductRow> drain(KeyedOneInputStreamOperatorTestHarness<Integer, ?, TopProductRow> h) {
        List<TopProductRow> out = h.extractOutputValues();
        h.getOutput().clear();
        return out;
    }

    private static List<String> ranking(List<TopProductRow> rows, long windowEnd) {
        return rows.stream().filter(r -> r.windowEnd == windowEnd)
                .map(r -> r.rank + ":" + r.productId + ":" + r.orders + ":" + r.gmv.toPlainString() + ":" + r.isFinal)
                .toList();
    }

    /** Keyed state entries: per (key, state) on the heap, per map entry and timer on RocksDB. */
    private static int stateEntries(KeyedOneInputStreamOperatorTestHarness<Integer, ?, ?> h) {
        var backend = ((AbstractStreamOperator<?>) h.getOperator()).getKeyedStateBackend();
        return backend instanceof HeapKeyedStateBackend<?> heap ? heap.numKeyValueStateEntries()
                : ((RocksDBKeyedStateBackend<?>) backend).numKeyValueStateEntries();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void sumsEachProductOverTheWindowsPanesAndRanksTheTopN(Backend backend) throws Exception {
        var h = harness(backend, 3, null);
        send(h, product(0, 1, 2, "20"), product(0, 2, 1, "50"),
                product(MINUTE, 1, 1, "5"), product(MINUTE, 3, 4, "8"),
                product(2 * MINUTE, 2, 3, "30"), product(2 * MINUTE, 4, 1, "1"));

        h.processWatermark(new Watermark(3 * MINUTE - 1));

        List<TopProductRow> rows = drain(h);
        assertThat(ranking(rows, MINUTE)).containsExactly("1:1:2:20:true", "2:2:1:50:true");
        assertThat(ranking(rows, 2 * MINUTE)).containsExactly("1:3:4:8:true", "2:1:3:25:true", "3:2:1:50:true");
        // 2 and 3 tie on orders, gmv decides; 4 is fourth and left out of the top 3.
        assertThat(ranking(rows, 3 * MINUTE)).containsExactly("1:2:4:80:true", "2:3:4:8:true", "3:1:3:25:true");
        TopProductRow first = rows.stream().filter(r -> r.windowEnd == 3 * MINUTE && r.rank == 1).findFirst().orElseThrow();
        assertThat(first.windowStart).isEqualTo(-2 * MINUTE);
        assertThat(first.windowSizeS).isEqualTo(300);
        assertThat(first.items).isEqualTo(40);
        assertThat(first.productName).isEqualTo("p2");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aProductUpdatedTwiceInOnePaneCountsOnlyItsLatestValue(Backend backend) throws Exception {
        var h = harness(backend, 10, null);
        send(h, product(0, 1, 2, "20"), product(0, 2, 3, "30"));
        send(h, product(0, 1, 5, "50")); // the pane of product 1 grew: its full value, not a delta

        h.processWatermark(new Watermark(MINUTE - 1));

        assertThat(ranking(drain(h), MINUTE)).containsExactly("1:1:5:50:true", "2:2:3:30:true");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWindowShowsTheProductNameOfItsLatestPane(Backend backend) throws Exception {
        var h = harness(backend, 10, null);
        ProductPane renamed = product(MINUTE, 1, 1, "1");
        renamed.productName = "renamed";
        send(h, product(0, 1, 1, "1"), renamed);

        h.processWatermark(new Watermark(2 * MINUTE - 1));

        List<TopProductRow> rows = drain(h);
        assertThat(rows).filteredOn(r -> r.windowEnd == MINUTE).extracting(r -> r.productName).containsExactly("p1");
        assertThat(rows).filteredOn(r -> r.windowEnd == 2 * MINUTE).extracting(r -> r.productName)
                .containsExactly("renamed");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void emitsEarlyRowsOfTheChangedWindowsEveryEmitIntervalAndNothingWhenNothingChanged(Backend backend)
            throws Exception {
        var h = harness(backend, 10, null);
        send(h, product(MINUTE, 1, 1, "1"));

        h.setProcessingTime(1000);

        assertThat(drain(h)).extracting(r -> r.windowEnd + ":" + r.rank + ":" + r.isFinal)
                .containsExactlyInAnyOrder(2 * MINUTE + ":1:false", 3 * MINUTE + ":1:false", 4 * MINUTE + ":1:false",
                        5 * MINUTE + ":1:false", 6 * MINUTE + ":1:false");
        h.setProcessingTime(2000);
        assertThat(drain(h)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLateUpdateWithinLatenessReEmitsTheClosedWindowAsFinal(Backend backend) throws Exception {
        var h = harness(backend, 10, null);
        send(h, product(0, 1, 1, "10"));
        h.processWatermark(new Watermark(MINUTE + 30_000)); // [-4 min, 1 min) closed, within its minute of lateness
        assertThat(ranking(drain(h), MINUTE)).containsExactly("1:1:1:10:true");

        send(h, product(0, 2, 2, "5"));
        h.setProcessingTime(1000);

        List<TopProductRow> rows = drain(h);
        assertThat(ranking(rows, MINUTE)).containsExactly("1:2:2:5:true", "2:1:1:10:true");
        assertThat(ranking(rows, 2 * MINUTE)).containsExactly("1:2:2:5:false", "2:1:1:10:false");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void dropsEveryPaneAndTimerOnceTheLastWindowIsPastItsLateness(Backend backend) throws Exception {
        var h = harness(backend, 10, null);
        send(h, product(0, 1, 1, "1"), product(0, 2, 1, "1"), product(MINUTE, 1, 1, "1"));
        assertThat(stateEntries(h)).isPositive();

        h.processWatermark(new Watermark(6 * MINUTE - 1)); // pane 0: last window [0, 5 min) + 1 min of lateness
        h.processWatermark(new Watermark(7 * MINUTE - 1)); // pane 1 min: [1 min, 6 min) + 1 min of lateness

        List<TopProductRow> rows = drain(h);
        assertThat(rows.stream().filter(r -> r.isFinal).map(r -> r.windowEnd).distinct())
                .containsExactly(MINUTE, 2 * MINUTE, 3 * MINUTE, 4 * MINUTE, 5 * MINUTE, 6 * MINUTE);
        assertThat(ranking(rows, 6 * MINUTE)).containsExactly("1:1:1:1:true");
        assertThat(stateEntries(h)).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
        assertThat(h.numProcessingTimeTimers()).isZero();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aSnapshotRestoresEveryProductOfThePanes(Backend backend) throws Exception {
        var h = harness(backend, 10, null);
        send(h, product(0, 1, 1, "10"), product(0, 2, 2, "20"), product(MINUTE, 1, 3, "30"));
        h.setProcessingTime(1000);
        drain(h);
        OperatorSubtaskState snapshot = h.snapshot(1, 1000);

        var restored = harness(backend, 10, snapshot);
        send(restored, product(MINUTE, 3, 1, "5"));
        restored.processWatermark(new Watermark(2 * MINUTE - 1));

        List<TopProductRow> rows = drain(restored);
        assertThat(ranking(rows, MINUTE)).containsExactly("1:2:2:20:true", "2:1:1:10:true");
        assertThat(ranking(rows, 2 * MINUTE)).containsExactly("1:1:4:40:true", "2:2:2:20:true", "3:3:1:5:true");
    }
}
