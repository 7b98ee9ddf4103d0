package dev.pulse.source;

import dev.pulse.config.Durations;
import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;
import dev.pulse.events.EventParser;
import dev.pulse.events.StreamName;
import dev.pulse.source.KafkaReplayProducer.Sent;

import org.apache.kafka.clients.producer.KafkaProducer;

import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code bin/pulse-produce} without {@code --input}: live generated traffic into Kafka, for a cluster reading
 * {@code --source kafka}. Usage: {@code --kafka-bootstrap HOST:PORT --rate N [--seed S] [--duration D]
 * [--partitions 3] [--topic-orders orders] [--topic-behavior user-behavior] [--topic-payments payments]}.
 *
 * <p>The records are the seeded {@link EventGenerator}'s, with {@link EventGenerator.Faults#standard()} (disorder
 * within lateness, re-deliveries, malformed records, repeated paid and cancelled events): the sequence
 * {@code bin/pulse} generates for the same seed and rate. Event times start when sending starts (after the topics
 * are ready), and record n of a stream is sent when the wall clock reaches its place in time
 * ({@link EventGenerator#baseTime}): {@code --rate} orders, 5 times as many behaviour events and half as many
 * payments per second. Topic creation, keying (orders and payments by {@code order_id}, behaviour by
 * {@code user_id}) and producer settings are {@link KafkaReplayProducer}'s, so one order's events stay in one
 * partition in generation order. A record over 1 MiB (the generator makes one now and then) is not sent, as in a
 * replay, and is listed as {@code generator:stream:n}.
 *
 * <p>It prints the seed and start, a progress line every 5 s (records the broker acknowledged, per stream) and
 * sends until {@link #stop()} (Ctrl-C, SIGTERM) or, with {@code --duration}, until that much event time is sent;
 * then it flushes (for at most 20 s) and returns the records acknowledged per topic. When the machine cannot keep
 * up with the rate the records go out as fast as it can, and the progress line says how far behind the clock.
 */
public final class KafkaTrafficProducer {
    /** Beyond it one sender thread cannot keep the pace anyway (6.5 records per order). */
    public static final long MAX_RATE = 100_000;
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(20);
    private static final long PROGRESS_MS = 5_000;

    private final long seed;
    private final long rate;
    private final Duration span;
    private final Set<StreamName> sending;
    private final CountDownLatch stop = new CountDownLatch(1);

    /** {@code span} null: until stopped. All three streams. */
    public KafkaTrafficProducer(long seed, long ordersPerSecond, Duration span) {
        this(seed, ordersPerSecond, span, EnumSet.allOf(StreamName.class));
    }

    /** Only {@code streams}, each at its rate in the mix (the freshness probe sends its own orders). */
    public KafkaTrafficProducer(long seed, long ordersPerSecond, Duration span, Set<StreamName> streams) {
        this.seed = seed;
        this.rate = ordersPerSecond;
        this.span = span;
        this.sending = EnumSet.copyOf(streams);
    }

    /** Ends the sending (from any thread); {@link #produce} then flushes and returns. */
    public void stop() {
        stop.countDown();
    }

    public List<Sent> produce(String bootstrap, int partitions, Map<StreamName, String> topics, PrintStream out)
            throws UsageException, IOException {
        KafkaReplayProducer.createMissingTopics(bootstrap, partitions, topics);
        StreamName[] streams = StreamName.values();
        int[] partitionCounts = new int[streams.length];
        long[] next = new long[streams.length];
        long[] end = new long[streams.length];
        List<List<String>> tooLarge = new ArrayList<>();
        AtomicLongArray acked = new AtomicLongArray(streams.length);
        AtomicReference<Exception> failure = new AtomicReference<>();
        boolean interrupted = false;
        KafkaProducer<byte[], byte[]> producer = KafkaReplayProducer.newProducer(bootstrap);
        try {
            for (StreamName s : streams) {
                partitionCounts[s.ordinal()] = producer.partitionsFor(topics.get(s)).size();
                tooLarge.add(new ArrayList<>());
            }
            long start = System.currentTimeMillis();
            EventGenerator generator = new EventGenerator(seed, rate, start, EventGenerator.Faults.standard());
            for (StreamName s : streams) {
                end[s.ordinal()] = !sending.contains(s) ? 0 : span == null ? Long.MAX_VALUE : generator.count(s, span);
            }
            out.printf(Locale.ROOT, "pulse-produce: seed %d, %d orders/s (behavior %s/s, payments %s/s), event times "
                            + "from %s, %s%n", seed, rate, perSecond(generator, StreamName.BEHAVIOR),
                    perSecond(generator, StreamName.PAYMENTS), Instant.ofEpochMilli(start),
                    span == null ? "until Ctrl-C" : "for " + Durations.format(span));
            long nextProgress = start + PROGRESS_MS;
            while (stop.getCount() > 0 && failure.get() == null) {
                int s = earliestDue(generator, streams, next, end);
                if (s < 0) {
                    break; // all of --duration is sent
                }
                StreamName stream = streams[s];
                long due = generator.baseTime(stream, next[s]);
                long now = System.currentTimeMillis();
                if (now >= nextProgress) {
                    out.println(progress(acked, now - due));
                    nextProgress = Math.max(nextProgress + PROGRESS_MS, now + 1);
                }
                if (due > now) {
                    try {
                        stop.await(Math.min(due, nextProgress) - now, TimeUnit.MILLISECONDS);
                    } catch (InterruptedException e) {
                        interrupted = true;
                        break;
                    }
                    continue;
                }
                long n = next[s]++;
                byte[] value = generator.line(stream, n).getBytes(StandardCharsets.UTF_8);
                if (value.length > EventParser.MAX_RECORD_BYTES) {
                    tooLarge.get(s).add("generator:" + stream.label() + ":" + n);
                    continue;
                }
                producer.send(KafkaReplayProducer.keyed(topics.get(stream), stream, value, partitionCounts[s]),
                        (meta, e) -> {
                            if (e == null) {
                                acked.incrementAndGet(s);
                            } else {
                                failure.compareAndSet(null, e);
                            }
                        });
            }
        } finally {
            producer.close(CLOSE_TIMEOUT); // sends what is buffered first
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
        if (failure.get() != null) {
            throw KafkaReplayProducer.refused(failure.get());
        }
        List<Sent> sent = new ArrayList<>();
        for (StreamName s : streams) {
            sent.add(new Sent(s, topics.get(s), acked.get(s.ordinal()), tooLarge.get(s.ordinal())));
        }
        return sent;
    }

    /** The stream whose next record is due first, or -1 when every stream has sent its span. */
    private static int earliestDue(EventGenerator generator, StreamName[] streams, long[] next, long[] end) {
        int best = -1;
        long bestDue = Long.MAX_VALUE;
        for (StreamName s : streams) {
            int i = s.ordinal();
            if (next[i] < end[i]) {
                long due = generator.baseTime(s, next[i]);
                if (due < bestDue) {
                    best = i;
                    bestDue = due;
                }
            }
        }
        return best;
    }

    private static String progress(AtomicLongArray acked, long behindMs) {
        StringBuilder sb = new StringBuilder("pulse-produce: sent");
        for (StreamName s : StreamName.values()) {
            sb.append(String.format(Locale.ROOT, " %s %,d", s.label(), acked.get(s.ordinal())));
        }
        if (behindMs > 1000) {
            sb.append(String.format(Locale.ROOT, " (%.1f s behind the clock: lower --rate)", behindMs / 1000.0));
        }
        return sb.toString();
    }

    private static String perSecond(EventGenerator generator, StreamName stream) {
        return BigDecimal.valueOf(generator.ratePerSecond(stream)).stripTrailingZeros().toPlainString();
    }

    static long rate(String v) throws UsageException {
        String t = v.trim();
        if (t.matches("\\d{1,9}")) {
            long n = Long.parseLong(t);
            if (n >= 1 && n <= MAX_RATE) {
                return n;
            }
        }
        throw new UsageException("--rate: '" + v + "' is not a whole number from 1 to " + MAX_RATE + " (orders per second)");
    }

    static long seed(String v) throws UsageException {
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed: '" + v + "' is not a whole number (64-bit)");
        }
    }

    /** As {@code bin/pulse --duration}: a positive duration, at most 3650d. */
    static Duration span(String v) throws UsageException {
        try {
            return PulseOptions.DURATION.parser().apply(v);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--duration: " + e.getMessage());
        }
    }
}
