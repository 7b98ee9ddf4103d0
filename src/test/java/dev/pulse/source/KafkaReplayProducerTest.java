package dev.pulse.source;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaReplayProducerTest {
    private static String key(String line, String field) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        byte[] key = KafkaReplayProducer.key(bytes, bytes.length, field);
        return key == null ? null : new String(key, StandardCharsets.UTF_8);
    }

    @Test
    void theKeyIsTheTopLevelFieldsTextWhetherNumberOrString() {
        assertThat(key("{\"a\":{\"order_id\":1},\"order_id\":42}", "order_id")).isEqualTo("42");
        assertThat(key("{\"order_id\":\"42\"}", "order_id")).isEqualTo("42");
        assertThat(key("{\"user_id\":7,\"order_id\":9}", "user_id")).isEqualTo("7");
    }

    @Test
    void aLineWithoutAUsableKeyHasNone() {
        assertThat(key("{\"order_id\":[42]}", "order_id")).isNull();
        assertThat(key("{\"user_id\":", "order_id")).isNull();
        assertThat(key("[1,2]", "order_id")).isNull();
        assertThat(key("not json", "order_id")).isNull();
        assertThat(key("", "order_id")).isNull();
    }
}
