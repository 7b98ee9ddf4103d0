package dev.pulse.window;

import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.OneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;

class DeltaCombinerTest {
    /** A delta to the row {@code row}: {@code n} more of something. */
    static final class Count implements RowDelta<Count> {
        final String row;
        long n;
        /** The event time it carries, as order facts and GMV panes carry their minute; none by default. */
        final long time;

        Count(String row, long n) {
            this(row, n, Long.MIN_VALUE);
        }

        Count(String row, long n, long time) {
            this.row = row;
            this.n = n;
            this.time = time;
        }

        @Override
        public long timestamp() {
            return time;
        }

        @Override
        public Object rowKey() {
            return row;
        }

        @Override
        public void absorb(Count other) {
            n += other.n;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Count c && c.row.equals(row) && c.n == n;
        }

        @Override
        public int hashCode() {
            return Objects.hash(row, n);
        }

        @Override
        public String toString() {
            return row + "+" + n;
        }
    }

    private static OneInputStreamOperatorTestHarness<Count, Count> harness(int maxRows) throws Exception {
        OneInputStreamOperatorTestHarness<Count, Count> h =
                new OneInputStreamOperatorTestHarness<>(new DeltaCombiner<Count>(200, maxRows));
        h.open();
        return h;
    }

    private static void send(OneInputStreamOperatorTestHarness<Count, Count> h, String row, long n, long time)
            throws Exception {
        h.processElement(new StreamRecord<>(new Count(row, n), time));
    }

    /** The output in order: deltas as "row+n", watermarks as "W<time>". */
    private static List<String> output(OneInputStreamOperatorTestHarness<Count, Count> h) {
        List<String> out = new ArrayList<>();
        for (Object o : h.getOutput()) {
            if (o instanceof Watermark w) {
                out.add("W" + w.getTimestamp());
            } else {
                out.add(((StreamRecord<?>) o).getValue().toString());
            }
        }
        return out;
    }

    @Test
    void deltasToOneRowLeaveAsOneSumBeforeTheNextWatermark() throws Exception {
        try (var h = harness(100)) {
            send(h, "a", 1, 10);
            send(h, "b", 1, 11);
            send(h, "a", -1, 12);
            send(h, "a", 5, 13);
            assertThat(h.getOutput()).isEmpty();
            h.processWatermark(new Watermark(13));
            assertThat(output(h)).containsExactlyInAnyOrder("a+5", "b+1", "W13");
            assertThat(output(h)).last().isEqualTo("W13");
        }
    }

    @Test
    void aDeltaThatAddsUpToNothingStillReachesItsRow() throws Exception {
        try (var h = harness(100)) {
            send(h, "a", 1, 10);
            send(h, "a", -1, 11);
            h.processWatermark(new Watermark(11));
            assertThat(output(h)).containsExactly("a+0", "W11");
        }
    }

    @Test
    void theBatchLeavesBeforeACheckpointBarrierSoNoCheckpointCoversAHeldDelta() throws Exception {
        try (var h = harness(100)) {
            send(h, "a", 2, 10);
            h.prepareSnapshotPreBarrier(1);
            assertThat(output(h)).containsExactly("a+2");
        }
    }

    @Test
    void theBatchLeavesAfterTheFlushIntervalWhenTheWatermarkStandsStill() throws Exception {
        try (var h = harness(100)) {
            h.setProcessingTime(1_000);
            send(h, "a", 2, 10);
            h.setProcessingTime(1_199);
            assertThat(h.getOutput()).isEmpty();
            h.setProcessingTime(1_200);
            assertThat(output(h)).containsExactly("a+2");
            send(h, "a", 3, 11);
            h.setProcessingTime(1_400);
            assertThat(output(h)).containsExactly("a+2", "a+3");
        }
    }

    @Test
    void aFullBatchLeavesAtOnce() throws Exception {
        try (var h = harness(2)) {
            send(h, "a", 1, 10);
            send(h, "a", 1, 10);
            assertThat(h.getOutput()).isEmpty();
            send(h, "b", 1, 10);
            assertThat(output(h)).containsExactlyInAnyOrder("a+2", "b+1");
        }
    }

    @Test
    void theLastBatchLeavesAtTheEndOfInput() throws Exception {
        var h = harness(100);
        send(h, "a", 1, 10);
        h.endInput();
        assertThat(output(h)).containsExactly("a+1");
        h.close();
    }

    @Test
    void aDeltaThatCarriesItsEventTimeLeavesWithItNotWithTheBatchsLatest() throws Exception {
        try (var h = harness(100)) {
            h.processElement(new StreamRecord<>(new Count("minute 1", 1, 60_000), 60_500));
            h.processElement(new StreamRecord<>(new Count("minute 2", 1, 120_000), 121_000));
            h.processElement(new StreamRecord<>(new Count("minute 1", 2, 60_000), 119_999));
            h.processWatermark(new Watermark(130_000));

            List<String> out = new ArrayList<>();
            for (Object o : h.getOutput()) {
                if (o instanceof StreamRecord<?> r) {
                    out.add(r.getValue() + "@" + r.getTimestamp());
                }
            }
            assertThat(out).containsExactlyInAnyOrder("minute 1+3@60000", "minute 2+1@120000");
        }
    }
}
