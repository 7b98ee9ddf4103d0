package dev.pulse;

import dev.pulse.events.StreamName;
import dev.pulse.source.DatasetWriter;
import dev.pulse.source.EventGenerator;
import dev.pulse.source.KafkaReplayProducer;
import dev.pulse.support.Oracle;
import dev.pulse.support.TestKafka;
import dev.pulse.support.TestPostgres;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A seeded dataset (disorder within lateness, re-deliveries, repeated paid/cancelled events, malformed lines) written
 * by {@code bin/pulse-produce}'s producer into three-partition topics of a real Kafka broker, then read by {@link Main}
 * with {@code --source kafka --kafka-stop latest} at parallelism 2 in a MiniCluster. The run ends by itself (exit 0)
 * and every metric table equals, row by row, plain SQL over the dataset's lines: the oracle takes an order's first
 * {@code paid} event by line number, which the producer's keying by {@code order_id} turns into Kafka arrival order.
 */
class KafkaEndToEndIT {
    @RegisterExtension
    static final MiniClusterExtension FLINK = new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
            .setNumberTaskManagers(1).setNumberSlotsPerTaskManager(2).build());

    private static final Map<String, String> PLACEHOLDERS = Map.of("GAP", "5 minutes", "TOP_N", "10");
    private static final String SCHEMA = "kafka_e2e";

    @Test
    void aBoundedReplayThroughKafkaEndsAndEveryTableEqualsPlainSqlRowByRow(@TempDir Path dir) throws Exception {
        long[] lines = DatasetWriter.write(dir, new EventGenerator(41, 10, Instant.parse("2025-10-03T23:42:00Z").toEpochMilli(),
                EventGenerator.Faults.standard()), Duration.ofMinutes(30));
        Oracle.load(dir);
        Map<StreamName, String> topics = Map.of(StreamName.ORDERS, "e2e-orders", StreamName.BEHAVIOR, "e2e-behavior",
                StreamName.PAYMENTS, "e2e-payments");
        String bootstrap = TestKafka.bootstrap();
        long p0 = System.nanoTime();
        List<KafkaReplayProducer.Sent> sent = KafkaReplayProducer.produce(dir, bootstrap, 3, topics);
        System.out.printf("KafkaEndToEndIT: produced in %.1f s%n", (System.nanoTime() - p0) / 1e9);
        assertThat(sent).extracting(KafkaReplayProducer.Sent::records).containsExactly(lines[0], lines[1], lines[2]);

        long t0 = System.nanoTime();
        int exit = Main.run(new String[] {"--source", "kafka", "--kafka-bootstrap", TestKafka.bootstrap(),
                "--topic-orders", "e2e-orders", "--topic-behavior", "e2e-behavior", "--topic-payments", "e2e-payments",
                "--kafka-group", "kafka-e2e", "--kafka-start", "earliest", "--kafka-stop", "latest",
                "--jdbc-url", TestPostgres.jdbcUrl(), "--jdbc-user", "postgres", "--schema", SCHEMA,
                "--parallelism", "2", "--session-gap", "5min"}, Map.of(), System.out, System.err);
        double seconds = (System.nanoTime() - t0) / 1e9;
        System.out.printf("KafkaEndToEndIT: %d records through Kafka in %.1f s (%.0f records/s)%n",
                lines[0] + lines[1] + lines[2], seconds, (lines[0] + lines[1] + lines[2]) / seconds);
        assertThat(exit).isZero();

        Oracle.assertEveryTableExact(SCHEMA, PLACEHOLDERS);
        // Exactly the malformed lines are dead letters, per stream and payload, each at its topic/partition/offset.
        assertThat(TestPostgres.count("SELECT count(*) FROM " + SCHEMA + ".dead_letters WHERE source !~ "
                + "('^e2e-' || CASE stream WHEN 'orders' THEN 'orders' WHEN 'behavior' THEN 'behavior' ELSE 'payments' END "
                + "|| '/[0-2]/[0-9]+$') OR reason = ''")).as("dead letters without a topic/partition/offset source").isZero();
        assertThat(TestPostgres.count("SELECT count(*) FROM " + SCHEMA + ".late_events")).isZero();
    }
}
