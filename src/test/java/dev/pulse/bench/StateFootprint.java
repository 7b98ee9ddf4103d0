package dev.pulse.bench;

import dev.pulse.active.ActiveUserMarks;
import dev.pulse.clean.Deduplicate;
import dev.pulse.config.PulseOptions;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.events.Event;
import dev.pulse.events.OrderEvent;
import dev.pulse.orders.OrderBuyersFunction;
import dev.pulse.paths.SessionPaths;
import dev.pulse.retention.UserCohort;
import dev.pulse.sessions.SessionDelta;
import dev.pulse.sessions.SessionFunnel;
import dev.pulse.sliding.GmvBuyersFunction;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.runtime.checkpoint.OperatorSubtaskState;
import org.apache.flink.runtime.state.StateBackend;
import org.apache.flink.runtime.state.hashmap.HashMapStateBackend;
import org.apache.flink.runtime.state.storage.FileSystemCheckpointStorage;
import org.apache.flink.state.rocksdb.EmbeddedRocksDBStateBackend;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.api.operators.KeyedProcessOperator;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * State per key of the per-user steps, on both state backends: N users (or buyers) with 3 events each within 10
 * minutes go through one step in a harness. Per step and backend: the cost per event (wall time of the loop, harness
 * included, so compare rows with each other), the Java heap it holds after a full GC (the heap backend's state; on
 * RocksDB the state is off heap), and the bytes per key of a full checkpoint of it (what RocksDB keeps on disk, and
 * what a heap checkpoint writes). Run: {@code java -cp target/test-classes:target/classes:<test classpath>
 * dev.pulse.bench.StateFootprint [users] [heap,rocksdb]}. Output is discarded as it comes.
 */
public final class StateFootprint {
    private static final long T0 = Instant.parse("2025-10-03T10:00:00Z").toEpochMilli();

    private StateFootprint() {}

    /** One step, freshly built per run. */
    private interface Step<E> {
        KeyedOneInputStreamOperatorTestHarness<?, E, ?> harness() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        String[] backends = (args.length > 1 ? args[1] : "heap,rocksdb").split(",");
        Path checkpoints = Files.createTempDirectory("pulse-footprint");
        System.out.printf("keys: %d, 3 events each within 10 minutes; checkpoints under %s%n", users, checkpoints);
        System.out.printf("%-44s %-8s %10s %14s %16s%n", "step", "backend", "us/event", "heap B/key", "checkpoint B/key");
        PulseOptions options = PulseOptions.parse(new String[0], Map.of());
        for (String backend : backends) {
            run("active_users marks (1m, 1h, 1d)", backend, users, checkpoints, StateFootprint::behavior,
                    () -> byUser(new ActiveUserMarks(60_000)));
            run("retention cohort", backend, users, checkpoints, StateFootprint::behavior,
                    () -> byUser(new UserCohort()));
            run("path_transitions recent events", backend, users, checkpoints, StateFootprint::behavior,
                    () -> byUser(new SessionPaths(1_800_000, 120_000)));
            run("session_funnel open session", backend, users, checkpoints, StateFootprint::behavior,
                    () -> sessions(options));
            run("order_metrics buyer marks", backend, users, checkpoints, StateFootprint::order,
                    () -> byBuyer(new OrderBuyersFunction(60_000)));
            run("gmv_sliding buyer marks", backend, users, checkpoints, StateFootprint::order,
                    () -> byBuyer(new GmvBuyersFunction(60_000)));
            run("de-duplication mark (per event id: /3)", backend, users, checkpoints, StateFootprint::behavior,
                    () -> new KeyedOneInputStreamOperatorTestHarness<String, BehaviorEvent, BehaviorEvent>(
                            new Deduplicate<BehaviorEvent>("behavior", 60_000, 60_000, 300_000), Event::getEventId,
                            Types.STRING));
        }
    }

    private interface EventOf<E> {
        E event(int user, int i);
    }

    private static <E> void run(String what, String backend, int users, Path checkpoints, EventOf<E> events,
                                Step<E> step) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<?, E, ?> h = step.harness();
        StateBackend stateBackend = switch (backend) {
            case "heap" -> new HashMapStateBackend();
            case "rocksdb" -> new EmbeddedRocksDBStateBackend();
            default -> throw new IllegalArgumentException("backend: heap or rocksdb, not " + backend);
        };
        h.setStateBackend(stateBackend);
        h.setCheckpointStorage(new FileSystemCheckpointStorage(checkpoints.toUri()));
        h.open();
        long before = usedAfterGc();
        long started = System.nanoTime();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < 3; i++) {
                E e = events.event(u, i);
                h.processElement(new StreamRecord<>(e, ((Event) e).eventTime));
            }
            if (u % 10_000 == 0) {
                h.getOutput().clear();
            }
        }
        double micros = (System.nanoTime() - started) / 1000.0 / (3.0 * users);
        h.getOutput().clear();
        long after = usedAfterGc();
        OperatorSubtaskState snapshot = h.snapshot(1, T0);
        System.out.printf("%-44s %-8s %10.2f %14.0f %16.0f%n", what, backend, micros, (after - before) / (double) users,
                snapshot.getStateSize() / (double) users);
        h.close();
    }

    private static <O> KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, O> byUser(
            KeyedProcessFunction<Long, BehaviorEvent, O> fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), e -> e.userId, Types.LONG);
    }

    private static <O> KeyedOneInputStreamOperatorTestHarness<Long, OrderEvent, O> byBuyer(
            KeyedProcessFunction<Long, OrderEvent, O> fn) throws Exception {
        return new KeyedOneInputStreamOperatorTestHarness<>(new KeyedProcessOperator<>(fn), e -> e.userId, Types.LONG);
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, SessionDelta> sessions(
            PulseOptions options) throws Exception {
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        KeySelector<BehaviorEvent, Long> user = e -> e.userId;
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<BehaviorEvent, SessionDelta> sessions =
                ((OneInputTransformation<BehaviorEvent, SessionDelta>) SessionFunnel.sessionWindow(
                        env.fromData(behavior(0, 0)).keyBy(user, Types.LONG), options).getTransformation()).getOperator();
        return new KeyedOneInputStreamOperatorTestHarness<>(sessions, user, Types.LONG);
    }

    private static BehaviorEvent behavior(int u, int i) {
        BehaviorEvent e = new BehaviorEvent();
        e.userId = u;
        e.eventId = "e" + u + "-" + i;
        e.eventTime = T0 + i * 200_000L + u % 1000;
        e.eventType = BehaviorEvent.EVENT_TYPES.get(i);
        e.deviceType = "mobile";
        return e;
    }

    /** Paid orders of one buyer in two cities of a region, minutes apart. */
    private static OrderEvent order(int u, int i) {
        OrderEvent e = new OrderEvent();
        e.userId = u;
        e.eventId = "o" + u + "-" + i;
        e.orderId = 3L * u + i;
        e.eventTime = T0 + i * 200_000L + u % 1000;
        e.status = OrderEvent.PAID;
        e.region = "华东";
        e.city = i == 1 ? "杭州" : "上海";
        e.quantity = 1;
        e.amount = new BigDecimal("19.90");
        return e;
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(200);
        }
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory();
    }
}
