package dev.pulse.source;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.events.StreamName;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Utils;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/pulse-produce}: writes a replay folder ({@code orders.jsonl}, {@code behavior.jsonl},
 * {@code payments.jsonl}) into Kafka topics, so the same data can be replayed through {@code --source kafka}.
 * Usage: {@code --input DIR --kafka-bootstrap HOST:PORT [--partitions 3] [--topic-orders orders]
 * [--topic-behavior user-behavior] [--topic-payments payments]}.
 *
 * <p>Each file is sent in line order, each line's bytes unchanged as the value (invalid UTF-8 stays invalid), the
 * line ending ({@code \n}, {@code \r\n}) removed, and lines of JSON whitespace skipped, exactly as the files source
 * reads them. Orders and payments are keyed by {@code order_id}, behaviour by {@code user_id} (the value's text, so
 * {@code 42} and {@code "42"} land together), so one order's events stay in one partition in line order: the
 * arrival order that decides an order's first {@code paid} event. A line with no such key (malformed) goes to the
 * partition given by a murmur2 hash of its bytes, so a second run places it the same. A line over 1 MiB is not
 * sent (it exceeds Kafka's default record limit; as a record it would be a dead letter) and is listed instead.
 * Absent topics are created with {@code --partitions} partitions and the broker's default replication.
 *
 * <p>Without {@code --input}, {@code --rate N [--seed S] [--duration D]} sends live generated traffic instead
 * ({@link KafkaTrafficProducer}), with this class's topic creation, keying and producer settings; {@code --input}
 * with any of those three is a usage mistake. Either way it prints the records sent per topic; a bad option or an
 * unreachable broker exits 2 with one line naming the option and the fix, a record Kafka refuses exits 1.
 */
public final class KafkaReplayProducer {
    private static final JsonFactory JSON = new JsonFactory();

    /** What one file became: records sent, lines skipped as too large (file:line). */
    public record Sent(StreamName stream, String topic, long records, List<String> tooLarge) {}

    private KafkaReplayProducer() {}

    public static String keyField(StreamName stream) {
        return stream == StreamName.BEHAVIOR ? "user_id" : "order_id";
    }

    /** The top-level {@code field} of a JSON object line as text, or null when the line has none or is no object. */
    static byte[] key(byte[] line, int len, String field) {
        try (JsonParser p = JSON.createParser(line, 0, len)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(field)) {
                    return value == JsonToken.VALUE_NUMBER_INT || value == JsonToken.VALUE_STRING
                            ? p.getText().getBytes(StandardCharsets.UTF_8) : null;
                }
                p.skipChildren();
            }
            return null;
        } catch (IOException | RuntimeException malformed) {
            return null;
        }
    }

    public static List<Sent> produce(Path dir, String bootstrap, int partitions, Map<StreamName, String> topics)
            throws UsageException, IOException {
        createMissingTopics(bootstrap, partitions, topics);
        List<Sent> sent = new ArrayList<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (KafkaProducer<byte[], byte[]> producer = newProducer(bootstrap)) {
            for (StreamName stream : StreamName.values()) {
                String topic = topics.get(stream);
                int partitionCount = producer.partitionsFor(topic).size();
                sent.add(sendFile(producer, dir.resolve(stream.fileName()), stream, topic, partitionCount, failure));
                if (failure.get() != null) {
                    break;
                }
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw refused(failure.get());
        }
        return sent;
    }

    /** The producer of both modes: acks from all replicas, one request in flight per connection. */
    static KafkaProducer<byte[], byte[]> newProducer(String bootstrap) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        // One request in flight keeps each partition in line order through retries. Not the idempotent producer:
        // on a slow broker its sequence reset after a timed-out batch was refused (OutOfOrderSequenceException)
        // until the batches expired. A retried record may land twice; the job drops it as a re-delivery.
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        props.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 60_000);
        props.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 600_000);
        props.put(ProducerConfig.LINGER_MS_CONFIG, 20);
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-produce");
        return new KafkaProducer<>(props, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static IOException refused(Exception failure) {
        return new IOException("Kafka refused a record: " + failure.getMessage(), failure);
    }

    /**
     * A record of the stream's topic, keyed as the job needs: by {@code order_id} (orders, payments) or
     * {@code user_id} (behaviour); a value without that key goes to the partition of its bytes' murmur2 hash.
     */
    static ProducerRecord<byte[], byte[]> keyed(String topic, StreamName stream, byte[] value, int partitionCount) {
        byte[] key = key(value, value.length, keyField(stream));
        return key != null
                ? new ProducerRecord<>(topic, null, key, value)
                : new ProducerRecord<>(topic, Utils.toPositive(Utils.murmur2(value)) % partitionCount, null, value);
    }

    private static Sent sendFile(KafkaProducer<byte[], byte[]> producer, Path file, StreamName stream, String topic,
                                 int partitionCount, AtomicReference<Exception> failure) throws IOException {
        long records = 0;
        List<String> tooLarge = new ArrayList<>();
        if (!Files.exists(file)) {
            return new Sent(stream, topic, 0, tooLarge); // a missing file is an empty stream
        }
        try (InputStream in = Files.newInputStream(file)) {
            JsonLineSplitter lines = new JsonLineSplitter(in);
            while (lines.next()) {
                if (lines.isTooLarge()) {
                    tooLarge.add(file.toAbsolutePath().normalize() + ":" + lines.lineNumber());
                    continue;
                }
                if (lines.isBlank()) {
                    continue;
                }
                byte[] value = Arrays.copyOf(lines.bytes(), lines.length());
                producer.send(keyed(topic, stream, value, partitionCount), (meta, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                records++;
                if (failure.get() != null) {
                    break;
                }
            }
        }
        return new Sent(stream, topic, records, tooLarge);
    }

    /** Creates the absent topics with {@code partitions} partitions; exit 2 when no broker answers. */
    static void createMissingTopics(String bootstrap, int partitions, Map<StreamName, String> topics)
            throws UsageException {
        try (Admin admin = KafkaStartupCheck.admin(bootstrap, KafkaStartupCheck.TIMEOUT)) {
            Set<String> existing = KafkaStartupCheck.existingTopics(admin, bootstrap, KafkaStartupCheck.TIMEOUT);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : Set.copyOf(topics.values())) {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, Optional.of(partitions), Optional.empty()));
                }
            }
            if (!missing.isEmpty()) {
                try {
                    admin.createTopics(missing).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new UsageException("--kafka-bootstrap: Kafka at " + bootstrap + " did not create the topics ("
                                + e.getCause().getMessage() + "); create them yourself or check the client's permissions");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new UsageException("interrupted while creating topics");
                }
            }
        }
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command line of both modes: {@code --input DIR} replays a folder, {@code --rate N} sends live traffic. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        Path input = null;
        String bootstrap = null;
        int partitions = 3;
        Long rate = null;
        Long seed = null;
        Duration span = null;
        String liveOption = null;
        Map<StreamName, String> topics = new EnumMap<>(StreamName.class);
        for (StreamName s : StreamName.values()) {
            topics.put(s, PulseOptions.topicOption(s).defaultText());
        }
        try {
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length) {
                    throw new UsageException(args[i] + ": missing value");
                }
                String v = args[i + 1];
                switch (args[i]) {
                    case "--input": input = Path.of(v); break;
                    case "--kafka-bootstrap": bootstrap = v; break;
                    case "--partitions": partitions = partitions(v); break;
                    case "--topic-orders": topics.put(StreamName.ORDERS, v); break;
                    case "--topic-behavior": topics.put(StreamName.BEHAVIOR, v); break;
                    case "--topic-payments": topics.put(StreamName.PAYMENTS, v); break;
                    case "--rate": rate = KafkaTrafficProducer.rate(v); break;
                    case "--seed": seed = KafkaTrafficProducer.seed(v); break;
                    case "--duration": span = KafkaTrafficProducer.span(v); break;
                    default:
                        throw new UsageException(args[i] + ": unknown option; use --input DIR, or --rate N [--seed S] "
                                + "[--duration D]; with --kafka-bootstrap [--partitions] [--topic-orders] "
                                + "[--topic-behavior] [--topic-payments]");
                }
                if (args[i].equals("--rate") || args[i].equals("--seed") || args[i].equals("--duration")) {
                    liveOption = liveOption == null ? args[i] : liveOption;
                }
            }
            if (input != null && liveOption != null) {
                throw new UsageException(liveOption + ": only for live traffic, not with --input; drop --input to "
                        + "generate traffic, or drop --rate, --seed and --duration to replay the folder");
            }
            if (input == null && rate == null) {
                throw new UsageException(liveOption == null
                        ? "--input or --rate: required; give --input DIR to replay a folder, or --rate N (orders per "
                                + "second) to send live generated traffic"
                        : "--rate: required with " + liveOption + "; give --rate N (orders per second), 1 to "
                                + KafkaTrafficProducer.MAX_RATE);
            }
            if (input != null && !Files.isDirectory(input)) {
                throw new UsageException("--input: " + input + " is not a folder; name a folder holding orders.jsonl, "
                        + "behavior.jsonl, payments.jsonl");
            }
            if (bootstrap == null) {
                throw new UsageException("--kafka-bootstrap: required; give host:port of a broker");
            }
        } catch (UsageException e) {
            err.println("pulse-produce: " + e.getMessage());
            return 2;
        }
        String brokers = bootstrap;
        int partitionCount = partitions;
        if (input != null) {
            Path dir = input;
            return sendAndReport(() -> produce(dir, brokers, partitionCount, topics), true, out, err);
        }
        KafkaTrafficProducer traffic = new KafkaTrafficProducer(seed != null ? seed : System.nanoTime(), rate, span);
        // Ctrl-C and SIGTERM stop the sending; the hook holds the JVM until the producer is flushed and the totals
        // are printed (a signal's exit status stays 130 or 143).
        CountDownLatch reported = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            traffic.stop();
            try {
                reported.await(KafkaTrafficProducer.CLOSE_TIMEOUT.toSeconds() + 10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "pulse-produce-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return sendAndReport(() -> traffic.produce(brokers, partitionCount, topics, out), false, out, err);
        } finally {
            reported.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it returns now that the totals are out
            }
        }
    }

    private interface Sender {
        List<Sent> send() throws UsageException, IOException;
    }

    /** Sends, then prints the records sent per topic and the total; exit status 0, 2 (usage) or 1 (failed). */
    private static int sendAndReport(Sender sender, boolean fromFiles, PrintStream out, PrintStream err) {
        long t0 = System.nanoTime();
        try {
            List<Sent> sent = sender.send();
            long total = 0;
            for (Sent s : sent) {
                total += s.records();
                out.printf(Locale.ROOT, "pulse-produce: %s -> %s: %,d records%n",
                        fromFiles ? s.stream().fileName() : s.stream().label(), s.topic(), s.records());
                for (String where : s.tooLarge()) {
                    out.println("pulse-produce: not sent, over 1 MiB (Kafka's default record limit): " + where);
                }
            }
            out.printf(Locale.ROOT, "pulse-produce: %,d records in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
            return 0;
        } catch (UsageException e) {
            err.println("pulse-produce: " + e.getMessage());
            return 2;
        } catch (IOException | RuntimeException e) {
            err.println("pulse-produce: failed: " + e.getMessage());
            return 1;
        }
    }

    private static int partitions(String v) throws UsageException {
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1 && n <= 10_000) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // falls through to the message
        }
        throw new UsageException("--partitions: '" + v + "' is not a whole number from 1 to 10000");
    }
}
