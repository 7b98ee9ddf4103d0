package dev.pulse.source;

import dev.pulse.events.StreamName;
import dev.pulse.support.TestKafka;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link KafkaReplayProducer} against a real broker: placement by key, bytes unchanged, line order kept. */
class KafkaReplayProducerIT {
    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void linesLandKeyedByOrderInLineOrderWithTheirBytesUnchanged(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream orders = new ByteArrayOutputStream();
        List<byte[]> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] line = utf8("{\"event_id\":\"e" + i + "\",\"order_id\":" + (i % 7) + ",\"status\":\"paid\"}");
            orders.write(line);
            orders.write(i % 10 == 0 ? utf8("\r\n") : utf8("\n")); // CRLF endings are line endings, not value
            expected.add(line);
            if (i == 30) {
                orders.write(utf8("  \t\n")); // JSON whitespace holds no record, as in a files replay
            }
        }
        byte[] invalidUtf8 = {'{', '"', 'o', 'r', 'd', 'e', 'r', '_', 'i', 'd', '"', ':', '"', (byte) 0xff, '"', '}'};
        orders.write(invalidUtf8); // no usable key, and no final newline: still a record
        expected.add(invalidUtf8);
        Files.write(dir.resolve("orders.jsonl"), orders.toByteArray());
        Files.write(dir.resolve("behavior.jsonl"), utf8("{\"user_id\":\"77\",\"event_type\":\"click\"}\nnot json\n"));

        Map<StreamName, String> topics = Map.of(StreamName.ORDERS, "produce-orders", StreamName.BEHAVIOR,
                "produce-behavior", StreamName.PAYMENTS, "produce-payments");
        List<KafkaReplayProducer.Sent> sent = KafkaReplayProducer.produce(dir, TestKafka.bootstrap(), 3, topics);

        assertThat(sent).extracting(KafkaReplayProducer.Sent::records).containsExactly(61L, 2L, 0L);
        List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readAll("produce-orders");
        assertThat(records).hasSize(61);
        assertThat(records).extracting(ConsumerRecord::partition).contains(0, 1, 2);
        assertThat(records).extracting(ConsumerRecord::value).containsExactlyInAnyOrderElementsOf(expected);
        for (int order = 0; order < 7; order++) {
            String key = Integer.toString(order);
            List<ConsumerRecord<byte[], byte[]>> ofOrder = records.stream()
                    .filter(r -> r.key() != null && new String(r.key(), StandardCharsets.UTF_8).equals(key)).toList();
            assertThat(ofOrder).extracting(ConsumerRecord::partition).as("order " + key).containsOnly(ofOrder.get(0).partition());
            List<String> ids = ofOrder.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).toList();
            assertThat(ids).as("order " + key + " in line order").isSortedAccordingTo(
                    (a, b) -> Integer.compare(eventNumber(a), eventNumber(b)));
        }
        ConsumerRecord<byte[], byte[]> keyless = records.stream().filter(r -> r.key() == null).findFirst().orElseThrow();
        assertThat(keyless.value()).isEqualTo(invalidUtf8);
        assertThat(keyless.partition()).isEqualTo(Utils.toPositive(Utils.murmur2(invalidUtf8)) % 3);

        assertThat(TestKafka.readAll("produce-behavior")).extracting(r -> r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8))
                .containsExactlyInAnyOrder("77", null);
    }

    private static int eventNumber(String line) {
        int at = line.indexOf("\"event_id\":\"e") + 13;
        return Integer.parseInt(line.substring(at, line.indexOf('"', at)));
    }
}
