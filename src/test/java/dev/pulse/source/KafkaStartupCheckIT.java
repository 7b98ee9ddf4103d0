package dev.pulse.source;

import dev.pulse.config.UsageException;
import dev.pulse.support.TestKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@link KafkaStartupCheck} against a real broker, and against an address where none listens. */
class KafkaStartupCheckIT {
    private static Map<String, String> topics(String orders, String behavior, String payments) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("topic-orders", orders);
        m.put("topic-behavior", behavior);
        m.put("topic-payments", payments);
        return m;
    }

    @Test
    void passesWhenTheBrokerAnswersAndEveryTopicExists() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            admin.createTopics(List.of(new NewTopic("check-o", 1, (short) 1), new NewTopic("check-b", 1, (short) 1),
                    new NewTopic("check-p", 1, (short) 1))).all().get();
        }
        assertThatCode(() -> KafkaStartupCheck.check(TestKafka.bootstrap(), topics("check-o", "check-b", "check-p"),
                Duration.ofSeconds(10))).doesNotThrowAnyException();
    }

    @Test
    void aMissingTopicIsNamedWithTheOptionThatSetsIt() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            admin.createTopics(List.of(new NewTopic("present-o", 1, (short) 1))).all().get();
        }
        assertThatThrownBy(() -> KafkaStartupCheck.check(TestKafka.bootstrap(),
                topics("present-o", "absent-behavior", "absent-payments"), Duration.ofSeconds(10)))
                .isInstanceOf(UsageException.class)
                .hasMessage("--topic-behavior: topic 'absent-behavior' does not exist at " + TestKafka.bootstrap()
                        + "; create it (bin/pulse-produce creates missing topics) or set --topic-behavior to an existing topic");
    }

    @Test
    void anUnreachableBrokerIsNamedWithinTheTimeout() throws Exception {
        String nowhere = "127.0.0.1:" + TestKafka.freePort();
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> KafkaStartupCheck.check(nowhere, topics("a", "b", "c"), Duration.ofSeconds(2)))
                .isInstanceOf(UsageException.class)
                .hasMessage("--kafka-bootstrap: no Kafka broker answered at " + nowhere
                        + " within 2 s; start the broker or give the right host:port");
        org.assertj.core.api.Assertions.assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(8));
    }

    @Test
    void anUnresolvableAddressIsAUsageMistake() {
        assertThatThrownBy(() -> KafkaStartupCheck.check("no-such-host.invalid:9092", topics("a", "b", "c"),
                Duration.ofSeconds(2)))
                .isInstanceOf(UsageException.class)
                .hasMessageStartingWith("--kafka-bootstrap: 'no-such-host.invalid:9092' cannot be used (");
    }
}
