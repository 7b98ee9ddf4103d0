package dev.pulse.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;
import dev.pulse.support.TestKafka;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/pulse-produce} without {@code --input} against a real broker: live traffic from the seeded generator,
 * keyed like a replay, sent on the wall clock, stopped by its duration or by SIGTERM.
 */
class KafkaTrafficProducerIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern STARTED = Pattern.compile("^pulse-produce: seed (-?\\d+), (\\d+) orders/s .*, event times from (\\S+), ");
    /** How long after its place in time a record may reach the producer on a busy 2-core machine. */
    private static final long SEND_SLACK_MS = 5_000;

    private static Map<StreamName, String> topics(String prefix) {
        Map<StreamName, String> topics = new EnumMap<>(StreamName.class);
        for (StreamName s : StreamName.values()) {
            topics.put(s, prefix + "-" + s.label());
        }
        return topics;
    }

    private static List<String> topicArgs(Map<StreamName, String> topics) {
        return List.of("--topic-orders", topics.get(StreamName.ORDERS), "--topic-behavior", topics.get(StreamName.BEHAVIOR),
                "--topic-payments", topics.get(StreamName.PAYMENTS));
    }

    @Test
    void fiveSecondsOfLiveTrafficAreTheSeededGeneratorsRecordsKeyedByOrderAndSentOnTheWallClock() throws Exception {
        Map<StreamName, String> topics = topics("live");
        List<String> args = new ArrayList<>(List.of("--kafka-bootstrap", TestKafka.bootstrap(), "--rate", "20",
                "--seed", "11", "--duration", "5s", "--partitions", "3"));
        args.addAll(topicArgs(topics));
        long before = System.currentTimeMillis();
        PulseProduceOptionsTest.Printed p = PulseProduceOptionsTest.run(args.toArray(String[]::new));
        long after = System.currentTimeMillis();

        assertThat(p.code()).as("exit status; stderr: " + p.err()).isZero();
        assertThat(p.err()).isEmpty();
        List<String> out = p.out().lines().toList();
        Matcher started = STARTED.matcher(out.get(0));
        assertThat(started.find()).as(out.get(0)).isTrue();
        assertThat(started.group(1)).isEqualTo("11");
        long start = Instant.parse(started.group(3)).toEpochMilli();
        assertThat(start).as("event times start when sending starts").isBetween(before, before + 15_000);
        assertThat(after - start).as("5 s of event time take 5 s").isGreaterThanOrEqualTo(4_900);

        try (Admin admin = TestKafka.admin()) {
            Map<String, TopicDescription> described = admin.describeTopics(topics.values()).allTopicNames().get();
            assertThat(described.values()).allSatisfy(d -> assertThat(d.partitions()).hasSize(3));
        }

        // The expectation, straight from the generator: same seed, rate and start, standard faults, 5 s of records.
        EventGenerator generator = new EventGenerator(11, 20, start, EventGenerator.Faults.standard());
        long total = 0;
        for (StreamName stream : StreamName.values()) {
            long count = generator.count(stream, Duration.ofSeconds(5));
            assertThat(count).isEqualTo(stream == StreamName.ORDERS ? 100 : stream == StreamName.BEHAVIOR ? 500 : 50);
            List<String> expected = new ArrayList<>();
            for (long n = 0; n < count; n++) {
                String line = generator.line(stream, n);
                if (line.getBytes(StandardCharsets.UTF_8).length <= EventParser.MAX_RECORD_BYTES) {
                    expected.add(line);
                }
            }
            total += expected.size();
            String topic = topics.get(stream);
            List<ConsumerRecord<byte[], byte[]>> records = TestKafka.readAll(topic);
            assertThat(out).contains("pulse-produce: " + stream.label() + " -> " + topic + ": " + expected.size() + " records");
            assertThat(records).as(topic).hasSize(expected.size());
            assertThat(records).extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).as(topic)
                    .containsExactlyInAnyOrderElementsOf(expected);
            assertGenerationOrderAndPace(generator, stream, expected, records);
            assertOneKeyOnePartition(stream, records);
            assertEventTimesFollowTheClock(topic, records);
        }
        assertThat(out.get(out.size() - 1)).matches("pulse-produce: " + total + " records in \\d+\\.\\d s");
    }

    /**
     * Each partition holds its records in generation order (a subsequence of the generated lines), and record n went
     * out once the clock reached its place in time, not before and not much later. Equal lines (re-deliveries) have
     * equal keys, hence one partition, so matching each record to the earliest unmatched equal line is exact.
     */
    private static void assertGenerationOrderAndPace(EventGenerator generator, StreamName stream, List<String> expected,
                                                     List<ConsumerRecord<byte[], byte[]>> records) {
        Map<Integer, List<ConsumerRecord<byte[], byte[]>>> byPartition = new TreeMap<>();
        records.forEach(r -> byPartition.computeIfAbsent(r.partition(), k -> new ArrayList<>()).add(r));
        assertThat(byPartition.keySet()).as(stream + " spread over the partitions").containsExactly(0, 1, 2);
        long maxDelay = 0;
        for (List<ConsumerRecord<byte[], byte[]>> partition : byPartition.values()) {
            int n = 0;
            for (ConsumerRecord<byte[], byte[]> r : partition) {
                String value = new String(r.value(), StandardCharsets.UTF_8);
                while (n < expected.size() && !expected.get(n).equals(value)) {
                    n++;
                }
                assertThat(n).as(stream + " partition " + r.partition() + " offset " + r.offset() + " in generation order")
                        .isLessThan(expected.size());
                long due = generator.baseTime(stream, n);
                assertThat(r.timestamp()).as(stream + " record " + n + " sent at its time").isBetween(due, due + SEND_SLACK_MS);
                maxDelay = Math.max(maxDelay, r.timestamp() - due);
                n++;
            }
        }
        System.out.println("KafkaTrafficProducerIT: " + stream.label() + " sent at most " + maxDelay + " ms after its time");
    }

    /** Orders and payments keyed by order_id, behaviour by user_id: all records of one key in one partition. */
    private static void assertOneKeyOnePartition(StreamName stream, List<ConsumerRecord<byte[], byte[]>> records) {
        String field = stream == StreamName.BEHAVIOR ? "user_id" : "order_id";
        Map<String, Set<Integer>> partitions = new HashMap<>();
        int keyed = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode node = parse(r.value());
            if (node != null && node.path(field).isIntegralNumber()) {
                partitions.computeIfAbsent(node.get(field).asText(), k -> new HashSet<>()).add(r.partition());
                assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo(node.get(field).asText());
                keyed++;
            }
        }
        assertThat(keyed).as(stream + " records with a " + field).isGreaterThan(records.size() * 9 / 10);
        assertThat(partitions).as(stream + ": partitions per " + field).allSatisfy((key, parts) -> assertThat(parts).hasSize(1));
        if (stream == StreamName.ORDERS) {
            assertThat(partitions.size()).as("orders have several events each").isLessThan(keyed / 2);
        }
    }

    /**
     * Event times are the wall clock's: never after the record was sent, and for all but the disordered,
     * re-delivered and malformed few within seconds of it.
     */
    private static void assertEventTimesFollowTheClock(String topic, List<ConsumerRecord<byte[], byte[]>> records) {
        int timed = 0;
        int close = 0;
        for (ConsumerRecord<byte[], byte[]> r : records) {
            JsonNode node = parse(r.value());
            Long eventTime = node == null ? null : eventTime(node.path("event_time"));
            if (eventTime == null) {
                continue;
            }
            timed++;
            assertThat(eventTime).as(topic + " event time not after the send").isLessThanOrEqualTo(r.timestamp());
            assertThat(eventTime).as(topic + " event time within disorder of the send")
                    .isGreaterThan(r.timestamp() - 90_000);
            if (r.timestamp() - eventTime <= SEND_SLACK_MS) {
                close++;
            }
        }
        assertThat(timed).isGreaterThan(records.size() * 9 / 10);
        assertThat(close).as(topic + " records within " + SEND_SLACK_MS + " ms of the clock").isGreaterThan(timed * 8 / 10);
    }

    private static JsonNode parse(byte[] value) {
        try {
            JsonNode node = JSON.readTree(value);
            return node != null && node.isObject() ? node : null;
        } catch (Exception malformed) {
            return null;
        }
    }

    private static Long eventTime(JsonNode t) {
        if (t.isIntegralNumber()) {
            return t.asLong();
        }
        try {
            return t.isTextual() ? OffsetDateTime.parse(t.asText()).toInstant().toEpochMilli() : null;
        } catch (RuntimeException notATime) {
            return null;
        }
    }

    @Test
    void aProducerOfSomeStreamsSendsTheirRecordsOfTheMixAndLeavesTheOtherTopicsEmpty() throws Exception {
        Map<StreamName, String> topics = topics("some");
        long before = System.currentTimeMillis();
        List<KafkaReplayProducer.Sent> sent = new KafkaTrafficProducer(13, 20, Duration.ofSeconds(2),
                Set.of(StreamName.BEHAVIOR, StreamName.PAYMENTS))
                .produce(TestKafka.bootstrap(), 2, topics, new PrintStream(OutputStream.nullOutputStream()));

        assertThat(System.currentTimeMillis() - before).as("2 s of event time take 2 s").isGreaterThanOrEqualTo(1_900);
        assertThat(sent).extracting(KafkaReplayProducer.Sent::stream)
                .containsExactly(StreamName.ORDERS, StreamName.BEHAVIOR, StreamName.PAYMENTS);
        // The generator's records of 2 s at 20 orders/s: 100 behaviour events and 10 payments a second (a record
        // over 1 MiB, which the generator makes now and then, is listed instead of sent).
        assertThat(sent.get(0).records()).isZero();
        assertThat(sent.get(1).records() + sent.get(1).tooLarge().size()).isEqualTo(200);
        assertThat(sent.get(2).records() + sent.get(2).tooLarge().size()).isEqualTo(20);
        for (KafkaReplayProducer.Sent s : sent) {
            assertThat(TestKafka.readAll(s.topic())).as(s.topic()).hasSize((int) s.records());
        }
    }

    @Test
    void sigtermStopsLiveTrafficAndPrintsTheTotalsTheTopicsHold() throws Exception {
        Map<StreamName, String> topics = topics("term");
        List<String> command = new ArrayList<>(List.of("bin/pulse-produce", "--kafka-bootstrap", TestKafka.bootstrap(),
                "--rate", "50", "--partitions", "2"));
        command.addAll(topicArgs(topics));
        Process process = new ProcessBuilder(command).directory(Path.of("").toAbsolutePath().toFile())
                .redirectErrorStream(true).start();
        List<String> out = Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    System.out.println("[bin/pulse-produce] " + line);
                    out.add(line);
                }
            } catch (Exception ignored) {
                // the process is gone
            }
        });
        reader.start();
        try {
            long deadline = System.currentTimeMillis() + 120_000;
            while (out.stream().noneMatch(l -> l.startsWith("pulse-produce: sent orders ")) && process.isAlive()
                    && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            assertThat(out).as("a progress line after 5 s").anyMatch(l -> l.matches(
                    "pulse-produce: sent orders [\\d,]+ behavior [\\d,]+ payments [\\d,]+"));
            process.toHandle().destroy(); // SIGTERM; Process.destroy() would also close the pipe of its output
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("stopped").isTrue();
            reader.join(10_000);
        } finally {
            process.destroyForcibly();
        }
        assertThat(process.exitValue()).as("the status of a SIGTERM").isEqualTo(143);
        long total = 0;
        for (StreamName stream : StreamName.values()) {
            String topic = topics.get(stream);
            Pattern totalLine = Pattern.compile("pulse-produce: " + stream.label() + " -> " + topic + ": ([\\d,]+) records");
            long printed = out.stream().map(totalLine::matcher).filter(Matcher::matches)
                    .mapToLong(m -> Long.parseLong(m.group(1).replace(",", ""))).findFirst().orElse(-1);
            assertThat(printed).as(stream + " total printed at SIGTERM").isPositive();
            assertThat(TestKafka.readAll(topic)).as(topic + " holds what was printed, all flushed").hasSize((int) printed);
            total += printed;
        }
        String sum = String.format(Locale.ROOT, "%,d", total);
        assertThat(out).anyMatch(l -> l.startsWith("pulse-produce: " + sum + " records in "));
    }

    @Test
    void liveTrafficToAnUnreachableBrokerExitsTwoWithOneLine() throws Exception {
        String nowhere = "127.0.0.1:" + TestKafka.freePort();
        PulseProduceOptionsTest.Printed p = PulseProduceOptionsTest.run("--kafka-bootstrap", nowhere, "--rate", "5");
        assertThat(p.code()).isEqualTo(2);
        assertThat(p.out()).isEmpty();
        assertThat(p.err()).containsExactly("pulse-produce: --kafka-bootstrap: no Kafka broker answered at " + nowhere
                + " within 10 s; start the broker or give the right host:port");
    }
}
