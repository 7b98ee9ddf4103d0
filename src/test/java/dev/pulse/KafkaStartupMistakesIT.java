package dev.pulse;

import dev.pulse.support.TestKafka;
import dev.pulse.support.TestPostgres;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --source kafka} mistakes through {@link Main#run}: exit 2 and one line naming the option, address and fix. */
class KafkaStartupMistakesIT {
    private static StartupMistakesTest.Printed kafka(String bootstrap, String ordersTopic) {
        return StartupMistakesTest.run(Map.of(), "--source", "kafka", "--kafka-bootstrap", bootstrap,
                "--topic-orders", ordersTopic, "--topic-behavior", "mistakes-behavior", "--topic-payments", "mistakes-payments",
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", "kafka_mistakes");
    }

    private static void assertOneLine(StartupMistakesTest.Printed p, String line) {
        assertThat(p.code()).as("exit status").isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly(line);
    }

    @Test
    void anUnreachableBrokerExitsTwoNamingTheAddressWithinTenSeconds() throws Exception {
        String nowhere = "127.0.0.1:" + TestKafka.freePort();
        long t0 = System.nanoTime();
        StartupMistakesTest.Printed p = kafka(nowhere, "orders");
        assertOneLine(p, "pulse: --kafka-bootstrap: no Kafka broker answered at " + nowhere
                + " within 10 s; start the broker or give the right host:port");
        assertThat((System.nanoTime() - t0) / 1_000_000_000.0).isLessThan(15.0);
    }

    @Test
    void aMissingTopicExitsTwoNamingTheTopicAndItsOption() throws Exception {
        try (Admin admin = TestKafka.admin()) {
            admin.createTopics(List.of(new NewTopic("mistakes-behavior", 1, (short) 1),
                    new NewTopic("mistakes-payments", 1, (short) 1))).all().get();
        }
        assertOneLine(kafka(TestKafka.bootstrap(), "no-such-orders"), "pulse: --topic-orders: topic 'no-such-orders' "
                + "does not exist at " + TestKafka.bootstrap() + "; create it (bin/pulse-produce creates missing topics) "
                + "or set --topic-orders to an existing topic");
        assertThat(TestPostgres.count("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'kafka_mistakes'"))
                .as("nothing installed before the inputs are known to exist").isZero();
    }
}
