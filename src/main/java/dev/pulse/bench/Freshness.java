package dev.pulse.bench;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.events.StreamName;
import dev.pulse.source.KafkaReplayProducer;
import dev.pulse.source.KafkaStartupCheck;
import dev.pulse.source.KafkaTrafficProducer;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.InterruptException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The freshness phase of {@code bin/pulse-bench}: how long an event takes from its arrival in Kafka to the moment a
 * PostgreSQL reader sees it counted in its window's row, with the job as users run it (a live {@code bin/pulse
 * --source kafka}, default emit interval 1 s and sink flush 1 s, early rows).
 * <pre>
 *   Freshness topics BOOTSTRAP      creates orders (its timestamps: the broker's append time), user-behavior, payments
 *   Freshness probe --kafka-bootstrap H:P --jdbc-url URL [--jdbc-user pulse] --schema S --out FILE
 *                   [--minutes 3] [--warm-up 20] [--rate 1000] [--start-timeout 300]
 * </pre>
 * The probe sends valid {@code paid} orders, each a new order and event id, {@code event_time} = now, {@code --rate}
 * per second, keyed by {@code order_id} as every producer of Pulse's topics does, into the orders topic. Once the
 * job is up the other two topics carry the default mix's rest: the seeded generator's behaviour events and payments
 * at {@code --rate}'s pace (5 and 0.5 per order: {@link KafkaTrafficProducer} for those two streams, with their
 * disorder, re-deliveries and malformed records), so the job does the work of the full 6.5 events per order while
 * the order_metrics rows the probe reads hold its orders only. Arrival = the broker's append time (the topic
 * is made with {@code message.timestamp.type=LogAppendTime}, which the producer's acknowledgement returns; the job
 * reads {@code event_time} from the payload, not the record timestamp). Meanwhile it reads the
 * {@code order_metrics} row {@code (1m, *, *)} of each minute every 20 ms; {@link FreshnessTimeline} attributes each
 * growth of its {@code orders} to the events of that minute in arrival order. The clock is the same on both sides:
 * the broker runs on this machine. A poll's time is taken just before it is sent, so a figure can be late by up to
 * one poll period (20 ms plus the query), never early.
 *
 * <p>Until the job has written its first row the probe only trickles (an order every 100 ms), so the job does not
 * start on a backlog; then it sends at {@code --rate}. Measured: the events that arrived from that first row +
 * {@code --warm-up} (JIT and the switch to the full rate excluded) for {@code --minutes}. Then sending stops and polling goes on until every minute shows all
 * its events (at most 60 s); events never shown are reported as unseen. Per window also: window end to the poll
 * that saw the row final ({@code is_final}: the watermark, 5 s of out-of-orderness behind the newest event, passed
 * the end) and to the count's last change; only windows that closed while traffic flowed can be seen final.
 */
public final class Freshness {
    /** The topics bin/pulse --source kafka reads by default: the job runs with every default. */
    static final Map<StreamName, String> TOPIC_OF = new EnumMap<>(StreamName.class);
    static {
        for (StreamName s : StreamName.values()) {
            TOPIC_OF.put(s, PulseOptions.topicOption(s).defaultText());
        }
    }
    static final String TOPIC_ORDERS = TOPIC_OF.get(StreamName.ORDERS);
    static final int PARTITIONS = 3;
    private static final long POLL_MS = 20;
    private static final long DRAIN_MS = 60_000;
    private static final long TRICKLE_MS = 100;
    private static final String[][] PLACES = {{"华东", "上海"}, {"华北", "北京"}, {"华南", "广州"}, {"西南", "成都"}};

    private Freshness() {}

    public static void main(String[] args) {
        try {
            if (args.length == 2 && args[0].equals("topics")) {
                createTopics(args[1]);
            } else if (args.length > 0 && args[0].equals("probe")) {
                System.exit(probe(Options.parse(Arrays.copyOfRange(args, 1, args.length)), System.out));
            } else {
                throw new UsageException("usage: Freshness topics BOOTSTRAP | probe --kafka-bootstrap H:P --jdbc-url URL "
                        + "[--jdbc-user pulse] --schema S --out FILE [--minutes 3] [--warm-up 20] [--rate 1000]");
            }
        } catch (UsageException e) {
            System.err.println("pulse-bench: freshness: " + e.getMessage());
            System.exit(2);
        } catch (Exception e) {
            System.err.println("pulse-bench: freshness failed: " + e);
            System.exit(1);
        }
    }

    record Options(String bootstrap, String jdbcUrl, String jdbcUser, String schema, Path out, double minutes,
                   double warmUpS, int rate, double startTimeoutS) {
        static Options parse(String[] argv) throws UsageException {
            Map<String, String> v = new HashMap<>(Map.of("--jdbc-user", "pulse", "--minutes", "3", "--warm-up", "20",
                    "--rate", "1000", "--start-timeout", "300"));
            for (int i = 0; i < argv.length; i += 2) {
                if (!List.of("--kafka-bootstrap", "--jdbc-url", "--jdbc-user", "--schema", "--out", "--minutes",
                        "--warm-up", "--rate", "--start-timeout").contains(argv[i])) {
                    throw new UsageException("unknown option " + argv[i]);
                }
                if (i + 1 >= argv.length) {
                    throw new UsageException(argv[i] + " needs a value");
                }
                v.put(argv[i], argv[i + 1]);
            }
            for (String required : List.of("--kafka-bootstrap", "--jdbc-url", "--schema", "--out")) {
                if (!v.containsKey(required)) {
                    throw new UsageException(required + " is required");
                }
            }
            if (!v.get("--schema").matches("[a-z_][a-z0-9_]*")) {
                throw new UsageException("--schema " + v.get("--schema") + ": a lower-case plain identifier");
            }
            return new Options(v.get("--kafka-bootstrap"), v.get("--jdbc-url"), v.get("--jdbc-user"), v.get("--schema"),
                    Path.of(v.get("--out")), number(v, "--minutes", 0.01, 1440), number(v, "--warm-up", 0, 3600),
                    (int) number(v, "--rate", 1, 20_000), number(v, "--start-timeout", 1, 3600));
        }

        private static double number(Map<String, String> v, String option, double min, double max) throws UsageException {
            try {
                double d = Double.parseDouble(v.get(option));
                if (d >= min && d <= max) {
                    return d;
                }
            } catch (NumberFormatException ignored) {
                // worded below
            }
            throw new UsageException(option + " " + v.get(option) + ": give a number from " + min + " to " + max);
        }
    }

    /** The three topics of a fresh broker; orders stamped with the broker's append time. */
    static void createTopics(String bootstrap) throws UsageException, InterruptedException, ExecutionException {
        try (Admin admin = KafkaStartupCheck.admin(bootstrap, KafkaStartupCheck.TIMEOUT)) {
            List<NewTopic> topics = new ArrayList<>();
            for (String t : TOPIC_OF.values()) {
                NewTopic topic = new NewTopic(t, Optional.of(PARTITIONS), Optional.empty());
                if (t.equals(TOPIC_ORDERS)) {
                    topic.configs(Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime"));
                }
                topics.add(topic);
            }
            if (!KafkaStartupCheck.existingTopics(admin, bootstrap, KafkaStartupCheck.TIMEOUT).isEmpty()) {
                throw new UsageException("--kafka-bootstrap " + bootstrap + ": the broker already has topics; the probe "
                        + "needs a fresh one (its counts must hold its own events only)");
            }
            admin.createTopics(topics).all().get();
            ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC_ORDERS);
            Config config = null;
            for (int attempt = 0; config == null; attempt++) {
                try {
                    config = admin.describeConfigs(List.of(orders)).all().get().get(orders);
                } catch (ExecutionException e) {
                    // A new topic's metadata reaches the broker's cache a moment after createTopics returns.
                    if (!(e.getCause() instanceof UnknownTopicOrPartitionException) || attempt == 50) {
                        throw e;
                    }
                    Thread.sleep(200);
                }
            }
            if (!"LogAppendTime".equals(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG).value())) {
                throw new IllegalStateException("topic orders was not made with LogAppendTime timestamps");
            }
        }
    }

    /** What the sender saw of each event: its minute, when it was sent, when the broker appended it (-1: not acked). */
    private static final class Sent {
        private static final int CHUNK = 1 << 16;
        private final List<long[]> chunks = new ArrayList<>();
        private volatile int count;

        /** Slot for event n (called by the sender thread, in n order). */
        long[] chunk(int n) {
            if (n / CHUNK == chunks.size()) {
                long[] c = new long[CHUNK * 3];
                Arrays.fill(c, -1);
                chunks.add(c);
            }
            return chunks.get(n / CHUNK);
        }

        static int at(int n) {
            return (n % CHUNK) * 3;
        }
    }

    static int probe(Options o, PrintStream out) throws Exception {
        Sent sent = new Sent();
        AtomicReference<Exception> failure = new AtomicReference<>();
        long runTag = System.currentTimeMillis();
        long firstMinute = runTag / 60_000 * 60_000;
        KafkaProducer<byte[], byte[]> producer = producer(o.bootstrap());
        if (producer.partitionsFor(TOPIC_ORDERS).size() != PARTITIONS) {
            throw new UsageException("--kafka-bootstrap: topic orders must have " + PARTITIONS + " partitions");
        }
        long[] sendLagMax = {0};
        AtomicBoolean full = new AtomicBoolean();
        Thread sender = new Thread(() -> send(o.rate(), runTag, producer, sent, full, failure, sendLagMax),
                "freshness-sender");
        KafkaTrafficProducer traffic = new KafkaTrafficProducer(runTag, o.rate(), null,
                EnumSet.of(StreamName.BEHAVIOR, StreamName.PAYMENTS));
        AtomicReference<List<KafkaReplayProducer.Sent>> restSent = new AtomicReference<>(List.of());
        Thread rest = new Thread(() -> {
            try {
                restSent.set(traffic.produce(o.bootstrap(), PARTITIONS, TOPIC_OF,
                        new PrintStream(OutputStream.nullOutputStream())));
            } catch (Exception e) {
                failure.compareAndSet(null, e);
            }
        }, "freshness-mix");

        List<long[]> polls = new ArrayList<>(); // window start, poll time, count, final (1/0): the changes only
        Map<Long, long[]> last = new HashMap<>();  // window start -> {count, final}
        long pollCount = 0;
        List<Long> pollGaps = new ArrayList<>();
        long firstVisible = -1, measureFrom = Long.MAX_VALUE, measureTo = Long.MAX_VALUE, stoppedAt = -1, deadline;
        long started = System.currentTimeMillis();
        deadline = started + (long) (o.startTimeoutS() * 1000);
        try (Connection c = connect(o.jdbcUrl(), o.jdbcUser())) {
            sender.start();
            PreparedStatement ps = null;
            long previousPoll = -1;
            while (true) {
                if (failure.get() != null) {
                    throw new IOException("sending failed: " + failure.get().getMessage(), failure.get());
                }
                long now = System.currentTimeMillis();
                if (firstVisible < 0 && now > deadline) {
                    throw new IOException("no order_metrics row in schema " + o.schema() + " within " + o.startTimeoutS()
                            + " s of sending: is the job running? (see its log)");
                }
                if (stoppedAt < 0 && now >= measureTo) {
                    // Polling goes on at once: closing the producer (waiting for acknowledgements) would leave a gap
                    // in the polls and make the last events look later than they were.
                    sender.interrupt();
                    sender.join();
                    traffic.stop();
                    stoppedAt = System.currentTimeMillis();
                }
                if (stoppedAt >= 0 && (now - stoppedAt > DRAIN_MS || allShown(sent, last))) {
                    break;
                }
                if (ps == null) {
                    ps = prepare(c, o.schema()); // the job creates the table at its start: absent until then
                }
                long t = System.currentTimeMillis();
                if (ps != null) {
                    ps.setTimestamp(1, new Timestamp(firstMinute));
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            long w = rs.getTimestamp(1).getTime();
                            long count = rs.getLong(2);
                            long fin = rs.getBoolean(3) ? 1 : 0;
                            long[] l = last.computeIfAbsent(w, k -> new long[] {0, 0});
                            if (count != l[0] || fin != l[1]) {
                                polls.add(new long[] {w, t, count, fin});
                                l[0] = count;
                                l[1] = fin;
                            }
                            if (count > 0 && firstVisible < 0) {
                                firstVisible = t;
                                full.set(true);
                                rest.start();
                                measureFrom = t + (long) (o.warmUpS() * 1000);
                                measureTo = measureFrom + (long) (o.minutes() * 60_000);
                                out.printf(Locale.ROOT, "pulse-bench: freshness: first row seen %.1f s after the "
                                                + "trickle began; %,d orders/s now, measured from %s for %s min%n",
                                        (t - started) / 1000.0, o.rate(),
                                        Instant.ofEpochMilli(measureFrom), trim(o.minutes()));
                            }
                        }
                    }
                    pollCount++;
                    if (previousPoll >= 0 && t >= measureFrom && t < measureTo) {
                        pollGaps.add(t - previousPoll);
                    }
                    previousPoll = t;
                }
                long sleep = t + POLL_MS - System.currentTimeMillis();
                if (sleep > 0) {
                    Thread.sleep(sleep);
                }
            }
        } finally {
            sender.interrupt();
            sender.join();
            traffic.stop();
            if (rest.isAlive()) {
                rest.join(); // it flushes for at most 20 s
            }
            producer.close(Duration.ofSeconds(30)); // every record sent is acknowledged (append time) or failed after this
        }

        FreshnessTimeline timeline = new FreshnessTimeline();
        int n = sent.count;
        long[] toBroker = new long[n];
        int acked = 0;
        for (int i = 0; i < n; i++) {
            long[] c = sent.chunk(i);
            int a = Sent.at(i);
            if (c[a + 2] >= 0) {
                timeline.arrived(c[a], c[a + 2]);
                toBroker[acked++] = c[a + 2] - c[a + 1];
            }
        }
        if (acked < n) {
            throw new IOException((n - acked) + " of " + n + " records were not acknowledged by Kafka");
        }
        for (long[] p : polls) {
            timeline.observed(p[0], new FreshnessTimeline.Poll(p[1], p[2], p[3] == 1));
        }
        FreshnessTimeline.Summary s = timeline.summary(measureFrom, measureTo);
        List<FreshnessTimeline.WindowResult> windows = timeline.windows();
        long overcount = windows.stream().mapToLong(FreshnessTimeline.WindowResult::overcount).sum();
        long[] broker = Arrays.copyOf(toBroker, acked);
        Arrays.sort(broker);
        long[] gaps = pollGaps.stream().mapToLong(Long::longValue).sorted().toArray();
        long measuredFrom = measureFrom; // windows that closed while measured traffic flowed
        long[] finals = windows.stream().filter(w -> w.windowEnd() >= measuredFrom && w.finalMs() >= 0)
                .mapToLong(FreshnessTimeline.WindowResult::finalAfterEndMs).sorted().toArray();
        String line = line(o.rate(), o.warmUpS(), s, finals);
        write(o, line, s, windows, n, restSent.get(), broker, gaps, pollCount, finals, sendLagMax[0],
                firstVisible - started);
        out.println(line);
        if (overcount > 0) {
            System.err.println("pulse-bench: freshness: order_metrics counted " + overcount + " orders the probe did "
                    + "not send (schema " + o.schema() + " or topic orders not fresh?): the figures are wrong");
            return 1;
        }
        if (s.events() == 0) {
            System.err.println("pulse-bench: freshness: no event was measured");
            return 1;
        }
        return 0;
    }

    /**
     * Sends paid orders until interrupted, recording each event's minute, send and append time: {@link #TRICKLE_MS}
     * apart until {@code full} is set (the job is up and has written a row), then {@code rate} a second. So the job
     * starts on an almost empty topic: a backlog sent during its start-up would be read in a burst and make the first
     * minutes after the warm-up look slower than the job is.
     */
    private static void send(int rate, long runTag, KafkaProducer<byte[], byte[]> producer, Sent sent,
                             AtomicBoolean full, AtomicReference<Exception> failure, long[] sendLagMax) {
        long t0 = -1;
        long k = 0;
        for (int n = 0; !Thread.currentThread().isInterrupted() && failure.get() == null; n++) {
            long now = System.currentTimeMillis();
            if (t0 < 0 && full.get()) {
                t0 = now;
            }
            long due = t0 < 0 ? now + TRICKLE_MS : t0 + k++ * 1000L / rate;
            if (t0 < 0 && n == 0) {
                due = now;
            }
            if (due > now) {
                try {
                    Thread.sleep(due - now);
                } catch (InterruptedException e) {
                    return;
                }
                now = System.currentTimeMillis();
            }
            if (t0 >= 0) {
                sendLagMax[0] = Math.max(sendLagMax[0], now - due);
            }
            long orderId = runTag * 1000 + n; // unique per run; the broker is fresh anyway
            String[] place = PLACES[n % PLACES.length];
            String value = "{\"event_id\":\"fresh-" + runTag + "-" + n + "\",\"event_time\":" + now
                    + ",\"order_id\":" + orderId + ",\"user_id\":" + (1 + n % 50_000) + ",\"product_id\":" + (1000 + n % 200)
                    + ",\"product_name\":\"probe item " + (n % 200) + "\",\"category\":\"probe\",\"quantity\":1"
                    + ",\"price\":\"10.00\",\"amount\":\"10.00\",\"status\":\"paid\",\"region\":\"" + place[0]
                    + "\",\"city\":\"" + place[1] + "\"}";
            long[] c = sent.chunk(n);
            int a = Sent.at(n);
            c[a] = now / 60_000 * 60_000;
            c[a + 1] = now;
            try {
                // Keyed by order_id's text, as bin/pulse-produce keys orders.
                producer.send(new ProducerRecord<>(TOPIC_ORDERS, Long.toString(orderId).getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)), (meta, e) -> {
                            if (e != null) {
                                failure.compareAndSet(null, e);
                            } else {
                                c[a + 2] = meta.timestamp(); // LogAppendTime: the broker's clock at append
                            }
                        });
            } catch (InterruptException e) {
                return; // stopped while send() waited: this record was not sent
            }
            sent.count = n + 1;
        }
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false);
        p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, 1);
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "pulse-freshness");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static Connection connect(String url, String user) throws UsageException {
        try {
            Connection c = BenchReport.connect(url, user);
            c.setAutoCommit(true);
            return c;
        } catch (SQLException e) {
            throw new UsageException("--jdbc-url: cannot connect (" + e.getSQLState() + ")");
        }
    }

    /** The poll, or null while the job has not created the table yet. */
    private static PreparedStatement prepare(Connection c, String schema) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, "order_metrics", new String[] {"TABLE"})) {
            if (!rs.next()) {
                return null;
            }
        }
        return c.prepareStatement("SELECT window_start, orders, is_final FROM " + schema + ".order_metrics "
                + "WHERE grain = '1m' AND region = '*' AND city = '*' AND window_start >= ?");
    }

    /** Every minute's row shows as many orders as were acknowledged for it. */
    private static boolean allShown(Sent sent, Map<Long, long[]> last) {
        Map<Long, Long> perMinute = new HashMap<>();
        for (int i = 0; i < sent.count; i++) {
            perMinute.merge(sent.chunk(i)[Sent.at(i)], 1L, Long::sum);
        }
        for (Map.Entry<Long, Long> e : perMinute.entrySet()) {
            long[] l = last.get(e.getKey());
            if (l == null || l[0] < e.getValue()) {
                return false;
            }
        }
        return true;
    }

    static String line(int rate, double warmUpS, FreshnessTimeline.Summary s, long[] finals) {
        return String.format(Locale.ROOT, "freshness (Kafka append -> row committed in PostgreSQL, %,d orders/s "
                        + "in the default mix, "
                        + "%s s warm-up excluded): %,d events, p50 %,d ms, p90 %,d ms, p99 %,d ms, max %,d ms; "
                        + "never shown %,d; %s",
                rate, trim(warmUpS), s.events(), s.p50(), s.p90(), s.p99(), s.max(), s.unseen(),
                finals.length == 0 ? "no row became final during the measured traffic"
                        : String.format(Locale.ROOT, "rows final %,d ms after their window's end (median of %d, max %,d ms)",
                        FreshnessTimeline.percentile(finals, 50), finals.length, finals[finals.length - 1]));
    }

    private static void write(Options o, String line, FreshnessTimeline.Summary s, List<FreshnessTimeline.WindowResult> windows,
                              int sentCount, List<KafkaReplayProducer.Sent> restSent, long[] broker, long[] gaps, long pollCount, long[] finals, long sendLagMax,
                              long firstRowAfterMs) throws IOException {
        ObjectMapper json = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();
        ObjectNode r = json.createObjectNode();
        r.put("summary", line);
        r.put("definition", "per event: the first poll (every " + POLL_MS + " ms) at which the order_metrics row "
                + "(1m, *, *) of its minute counted it, minus the broker's append time; the i-th arrival of a minute "
                + "is counted when the row's orders reach i");
        r.put("job", "bin/pulse --source kafka (defaults: emit interval 1s, sink flush 1s, out-of-orderness 5s, "
                + "idle timeout 30s); the probe's paid orders, and the generator's behaviour events and payments "
                + "at 5 and 0.5 per order (the default mix)");
        r.put("rate_orders_per_s", o.rate());
        r.put("warm_up_s", o.warmUpS());
        r.put("measured_min", o.minutes());
        r.put("first_row_after_ms", firstRowAfterMs);
        r.put("events_sent", sentCount);
        ObjectNode mix = r.putObject("mix_events_sent");
        restSent.stream().filter(x -> x.stream() != StreamName.ORDERS)
                .forEach(x -> mix.put(x.stream().label(), x.records()));
        r.put("events_measured", s.events());
        r.put("never_shown", s.unseen());
        r.put("p50_ms", s.p50());
        r.put("p90_ms", s.p90());
        r.put("p99_ms", s.p99());
        r.put("max_ms", s.max());
        r.put("mean_ms", Math.round(s.mean()));
        ObjectNode finalNode = r.putObject("final_after_window_end_ms");
        finalNode.put("windows", finals.length);
        finalNode.put("p50", FreshnessTimeline.percentile(finals, 50));
        finalNode.put("max", finals.length == 0 ? -1 : finals[finals.length - 1]);
        ObjectNode b = r.putObject("producer_send_to_broker_append_ms");
        b.put("p50", FreshnessTimeline.percentile(broker, 50));
        b.put("p99", FreshnessTimeline.percentile(broker, 99));
        b.put("max", broker.length == 0 ? -1 : broker[broker.length - 1]);
        r.put("sender_max_behind_schedule_ms", sendLagMax);
        ObjectNode poll = r.putObject("polls");
        poll.put("count", pollCount);
        poll.put("interval_p50_ms", FreshnessTimeline.percentile(gaps, 50));
        poll.put("interval_p99_ms", FreshnessTimeline.percentile(gaps, 99));
        poll.put("interval_max_ms", gaps.length == 0 ? -1 : gaps[gaps.length - 1]);
        ArrayNode ws = r.putArray("windows");
        for (FreshnessTimeline.WindowResult w : windows) {
            ws.addObject().put("window_start", Instant.ofEpochMilli(w.windowStart()).toString())
                    .put("events", w.arrived()).put("orders_last_seen", w.lastCount())
                    .put("last_change_after_end_ms", w.lastChangeMs() < 0 ? null : w.lastChangeAfterEndMs())
                    .put("final_after_end_ms", w.finalMs() < 0 ? null : w.finalAfterEndMs());
        }
        Files.writeString(o.out(), json.writeValueAsString(r) + "\n", StandardCharsets.UTF_8);
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
    }
}
