package dev.pulse;

import dev.pulse.config.PulseOptions;
import dev.pulse.orders.OrderFact;
import dev.pulse.orders.OrderMetricRow;
import dev.pulse.orders.RegionCityKey;

import org.apache.flink.api.java.tuple.Tuple2;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.watermark.Watermark;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The order_metrics 1-minute window exactly as the job builds it, driven element by element. */
class OrderWindowTest {
    private static final long MINUTE = 60_000;
    private KeyedOneInputStreamOperatorTestHarness<Tuple2<String, String>, OrderFact, OrderMetricRow> harness;

    @BeforeEach
    void open() throws Exception {
        PulseOptions options = PulseOptions.parse(
                new String[] {"--emit-interval", "1s", "--allowed-lateness", "60s"}, Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        var keyed = env.fromData(paid("r", "c", 1, "1.00")).keyBy(new RegionCityKey(), RegionCityKey.TYPE);
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<OrderFact, OrderMetricRow> window = ((OneInputTransformation<OrderFact, OrderMetricRow>)
                dev.pulse.orders.OrderMetrics.window(keyed, 0, options).getTransformation()).getOperator();
        harness = new KeyedOneInputStreamOperatorTestHarness<>(window, new RegionCityKey(), RegionCityKey.TYPE);
        harness.open();
        harness.setProcessingTime(0);
    }

    @AfterEach
    void close() throws Exception {
        harness.close();
    }

    /** A paid order whose buyer is new to its 1-minute window ({@code newBuyer} 1) or already counted in it (0). */
    private static OrderFact paid(String region, String city, long newBuyer, String amount) {
        OrderFact f = new OrderFact(region, city, true, 2, new BigDecimal(amount));
        f.newBuyers[0] = newBuyer;
        return f;
    }

    private static OrderFact cancelled(String amount) {
        return new OrderFact("华北", "北京", false, 1, new BigDecimal(amount));
    }

    private void element(OrderFact f, long eventTime) throws Exception {
        harness.processElement(new StreamRecord<>(f, eventTime));
    }

    private List<OrderMetricRow> drain() {
        List<OrderMetricRow> out = harness.extractOutputValues();
        harness.getOutput().clear();
        return out;
    }

    @Test
    void emitsAnEarlyResultBeforeTheWindowCloses() throws Exception {
        element(paid("华北", "北京", 1, "10.50"), 1_000);
        element(paid("华北", "北京", 1, "4.25"), 2_000);
        element(paid("华北", "北京", 0, "5.00"), 3_000); // the first buyer again
        element(cancelled("7.00"), 4_000);
        assertThat(drain()).isEmpty();

        harness.setProcessingTime(1_000);

        List<OrderMetricRow> rows = drain();
        assertThat(rows).hasSize(1);
        OrderMetricRow row = rows.get(0);
        assertThat(row.grain).isEqualTo("1m");
        assertThat(row.windowStart).isZero();
        assertThat(row.windowEnd).isEqualTo(MINUTE);
        assertThat(row.region).isEqualTo("华北");
        assertThat(row.city).isEqualTo("北京");
        assertThat(row.orders).isEqualTo(3);
        assertThat(row.gmv).isEqualByComparingTo("19.75");
        assertThat(row.avgOrderValue).isEqualByComparingTo("6.58");
        assertThat(row.items).isEqualTo(6);
        assertThat(row.uniqueBuyers).isEqualTo(2);
        assertThat(row.cancelledOrders).isEqualTo(1);
        assertThat(row.cancelledAmount).isEqualByComparingTo("7.00");
        assertThat(row.isFinal).isFalse();
    }

    @Test
    void emitsNothingOnATickWhenTheWindowDidNotChange() throws Exception {
        element(paid("r", "c", 1, "1.00"), 1_000);
        harness.setProcessingTime(1_000);
        assertThat(drain()).hasSize(1);

        harness.setProcessingTime(2_000);
        harness.setProcessingTime(3_000);

        assertThat(drain()).isEmpty();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void emitsTheFinalRowWhenTheWatermarkPassesTheWindowEnd() throws Exception {
        element(paid("r", "c", 1, "1.00"), 1_000);
        harness.processWatermark(new Watermark(MINUTE - 2));
        assertThat(drain()).isEmpty();

        harness.processWatermark(new Watermark(MINUTE - 1));

        List<OrderMetricRow> rows = drain();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).isFinal).isTrue();
        assertThat(rows.get(0).orders).isEqualTo(1);
    }

    @Test
    void aRecordWithinAllowedLatenessRewritesTheRow() throws Exception {
        element(paid("r", "c", 1, "1.00"), 1_000);
        harness.processWatermark(new Watermark(MINUTE + 30_000));
        assertThat(drain()).extracting(r -> r.orders).containsExactly(1L);

        element(paid("r", "c", 1, "2.00"), 59_000);
        harness.setProcessingTime(1_000);

        List<OrderMetricRow> rows = drain();
        assertThat(rows).hasSize(1);
        assertThat(rows.get(0).orders).isEqualTo(2);
        assertThat(rows.get(0).gmv).isEqualByComparingTo("3.00");
        assertThat(rows.get(0).isFinal).isTrue();
    }

    @Test
    void firesAPendingLateUpdateWhenTheWindowIsCleanedUp() throws Exception {
        element(paid("r", "c", 1, "1.00"), 1_000);
        harness.processWatermark(new Watermark(MINUTE + 10_000));
        drain();
        element(paid("r", "c", 1, "2.00"), 2_000);

        harness.processWatermark(new Watermark(2 * MINUTE - 1)); // end + lateness: clean-up before any tick

        assertThat(drain()).extracting(r -> r.orders).containsExactly(2L);
    }

    @Test
    void stateAndTimersAreGoneAfterAllowedLatenessExpires() throws Exception {
        element(paid("r", "c", 1, "1.00"), 1_000);
        element(paid("r", "x", 1, "1.00"), 1_000);
        assertThat(harness.numKeyedStateEntries()).isPositive();
        assertThat(harness.numEventTimeTimers()).isPositive();
        assertThat(harness.numProcessingTimeTimers()).isPositive();

        harness.processWatermark(new Watermark(2 * MINUTE - 1));

        assertThat(harness.numKeyedStateEntries()).isZero();
        assertThat(harness.numEventTimeTimers()).isZero();
        assertThat(harness.numProcessingTimeTimers()).isZero();
    }

    @Test
    void keepsEachRollupKeyInItsOwnRow() throws Exception {
        element(paid("*", "*", 1, "1.00"), 1_000);
        element(paid("华东", "*", 1, "1.00"), 1_000);
        element(paid("华东", "上海", 1, "1.00"), 1_000);
        harness.processWatermark(new Watermark(MINUTE - 1));
        assertThat(drain()).extracting(r -> r.region + "/" + r.city)
                .containsExactlyInAnyOrder("*/*", "华东/*", "华东/上海");
    }

    @Test
    void avgOrderValueIsNullWhenAWindowOnlyHasCancellations() throws Exception {
        element(cancelled("3.00"), 1_000);
        harness.processWatermark(new Watermark(MINUTE - 1));
        OrderMetricRow row = drain().get(0);
        assertThat(row.orders).isZero();
        assertThat(row.avgOrderValue).isNull();
        assertThat(row.gmv).isEqualByComparingTo("0");
    }
}
