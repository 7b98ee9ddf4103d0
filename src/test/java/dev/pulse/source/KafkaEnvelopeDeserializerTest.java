package dev.pulse.source;

import dev.pulse.events.Envelope;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaEnvelopeDeserializerTest {
    private final KafkaEnvelopeDeserializer orders =
            new KafkaEnvelopeDeserializer(StreamName.ORDERS, new EventParser(Duration.ofHours(1)));

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, byte[] value) {
        return new ConsumerRecord<>("orders-topic", partition, offset, "42".getBytes(StandardCharsets.UTF_8), value);
    }

    private Envelope one(ConsumerRecord<byte[], byte[]> record) {
        List<Envelope> out = new ArrayList<>();
        orders.deserialize(record, new org.apache.flink.util.Collector<>() {
            @Override public void collect(Envelope e) { out.add(e); }
            @Override public void close() {}
        });
        assertThat(out).hasSize(1);
        return out.get(0);
    }

    @Test
    void aGoodRecordIsAnEventWhoseSourceIsTopicPartitionOffset() {
        String json = "{\"event_id\":\"e1\",\"event_time\":\"2025-10-03T10:15:30.123Z\",\"order_id\":42,\"user_id\":7,"
                + "\"product_id\":3,\"product_name\":\"Tea 北京\",\"quantity\":2,\"price\":\"6.25\",\"amount\":\"12.50\","
                + "\"status\":\"paid\",\"region\":\"华北\",\"city\":\"北京\"}";
        Envelope e = one(record(2, 1234, json.getBytes(StandardCharsets.UTF_8)));

        assertThat(e.isValid()).as(e.error).isTrue();
        assertThat(e.source).isEqualTo("orders-topic/2/1234");
        assertThat(e.order.orderId).isEqualTo(42);
        assertThat(e.order.amount).isEqualByComparingTo("12.50");
        assertThat(e.order.region).isEqualTo("华北");
    }

    @Test
    void aNullValueIsADeadLetterNotAnException() {
        Envelope e = one(record(0, 7, null));

        assertThat(e.isValid()).isFalse();
        assertThat(e.stream).isEqualTo("orders");
        assertThat(e.source).isEqualTo("orders-topic/0/7");
        assertThat(e.error).isEqualTo("record has no value (null); a JSON object is expected");
        assertThat(e.rawPayload).isEmpty();
    }

    @Test
    void invalidUtf8IsADeadLetterWithTheBytesEscaped() {
        byte[] bytes = "{\"event_id\":\"x\u00ff\"}".getBytes(StandardCharsets.ISO_8859_1);
        Envelope e = one(record(1, 0, bytes));

        assertThat(e.isValid()).isFalse();
        assertThat(e.source).isEqualTo("orders-topic/1/0");
        assertThat(e.error).isEqualTo("not UTF-8 at byte 14");
        assertThat(e.rawPayload).isEqualTo("{\"event_id\":\"x\\xFF\"}");
    }

    @Test
    void aValueOverOneMebibyteIsADeadLetter() {
        byte[] bytes = new byte[EventParser.MAX_RECORD_BYTES + 1];
        Arrays.fill(bytes, (byte) 'a');
        Envelope e = one(record(0, 99, bytes));

        assertThat(e.isValid()).isFalse();
        assertThat(e.source).isEqualTo("orders-topic/0/99");
        assertThat(e.error).contains("1048577").contains("1 MiB");
    }
}
