package dev.pulse.support;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Kafka 3.9 broker for tests, in KRaft mode (broker and controller in one process, no ZooKeeper), run as a
 * separate JVM from the test class path: started once per JVM (shared by every Kafka test) and stopped at exit.
 * Listens on 127.0.0.1 at free ports; its log dirs live in a temporary folder removed on exit.
 */
public final class TestKafka {
    private static final long START_TIMEOUT_MS = 90_000;

    private static Process broker;
    private static String bootstrap;
    private static Path home;

    private TestKafka() {}

    /** host:port of the shared broker, starting it on first use. */
    public static synchronized String bootstrap() {
        if (broker == null) {
            try {
                start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return bootstrap;
    }

    public static Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        return Admin.create(props);
    }

    private static void start() throws IOException, InterruptedException {
        home = Files.createTempDirectory("pulse-kafka");
        int port = freePort();
        int controllerPort = freePort();
        Path config = home.resolve("server.properties");
        Files.writeString(config, String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                "log.dirs=" + home.resolve("data"),
                "auto.create.topics.enable=false",
                "num.partitions=1",
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=1",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "log.retention.hours=-1",
                ""), StandardCharsets.UTF_8);
        // Kept beside the build's other reports (the data folder goes at exit): the first place to look when a test fails.
        Files.createDirectories(Path.of("target"));
        Path log = Path.of("target", "kafka-broker-" + port + ".log").toAbsolutePath();
        Files.deleteIfExists(log);
        Files.writeString(home.resolve("log4j2.properties"), String.join("\n",
                "rootLogger.level = INFO", "rootLogger.appenderRef.out.ref = out",
                "appender.out.type = Console", "appender.out.name = out",
                "appender.out.layout.type = PatternLayout", "appender.out.layout.pattern = %d{HH:mm:ss.SSS} %-5p %c{1} - %m%n",
                ""), StandardCharsets.UTF_8);
        int formatted = java("kafka.tools.StorageTool", log, "format", "-t", Uuid.randomUuid().toString(),
                "-c", config.toString()).waitFor();
        if (formatted != 0) {
            throw new IllegalStateException("kafka storage format failed (" + formatted + "): " + tail(log));
        }
        broker = java("kafka.Kafka", log, config.toString());
        bootstrap = "127.0.0.1:" + port;
        Runtime.getRuntime().addShutdownHook(new Thread(TestKafka::stop, "test-kafka-stop"));
        awaitReady(log);
    }

    private static Process java(String mainClass, Path log, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlog4j2.configurationFile=" + home.resolve("log4j2.properties"),
                "-cp", System.getProperty("java.class.path"), mainClass));
        cmd.addAll(List.of(args));
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
    }

    private static void awaitReady(Path log) throws IOException, InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MS;
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 2000);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 2000);
        try (Admin admin = Admin.create(props)) {
            while (true) {
                if (!broker.isAlive()) {
                    throw new IllegalStateException("kafka broker exited (" + broker.exitValue() + "): " + tail(log));
                }
                try {
                    admin.describeCluster().nodes().get(3, TimeUnit.SECONDS);
                    return;
                } catch (Exception notYet) {
                    if (System.currentTimeMillis() > deadline) {
                        throw new IllegalStateException("kafka broker not ready after " + START_TIMEOUT_MS + " ms: " + tail(log));
                    }
                    Thread.sleep(200);
                }
            }
        }
    }

    private static synchronized void stop() {
        if (broker != null) {
            broker.destroy();
            try {
                if (!broker.waitFor(15, TimeUnit.SECONDS)) {
                    broker.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ignored) {
                broker.destroyForcibly();
            }
        }
        if (home != null) {
            try (Stream<Path> paths = Files.walk(home)) {
                paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // exiting
            }
        }
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    /** Every record of the topic, from the beginning to the end offsets of now, partition by partition in offset order. */
    public static List<ConsumerRecord<byte[], byte[]>> readAll(String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
        try (KafkaConsumer<byte[], byte[]> consumer =
                     new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> parts = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            List<ConsumerRecord<byte[], byte[]>> all = new ArrayList<>();
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                consumer.poll(Duration.ofMillis(200)).forEach(all::add);
            }
            return all;
        }
    }

    public static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
