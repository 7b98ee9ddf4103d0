package dev.pulse.bench;

import dev.pulse.active.ActiveUserMarks;
import dev.pulse.clean.Deduplicate;
import dev.pulse.events.BehaviorEvent;
import dev.pulse.paths.SessionPaths;
import dev.pulse.retention.UserCohort;

import dev.pulse.config.PulseOptions;
import dev.pulse.sessions.SessionDelta;
import dev.pulse.sessions.SessionFunnel;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.operators.OneInputStreamOperator;
import org.apache.flink.streaming.api.transformations.OneInputTransformation;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import java.time.Instant;
import java.util.Map;

/**
 * Heap bytes per active user of the per-user steps of active_users, retention and path_transitions (heap state
 * backend, as the job runs by default): N users with a few events each go through one step in a harness, and the
 * heap after a full GC is compared with the heap before. Run: {@code java -cp target/test-classes:target/classes:
 * $(cat target/classpath.txt) dev.pulse.bench.StateFootprint [users]}. Output is discarded as it comes.
 */
public final class StateFootprint {
    private StateFootprint() {}

    public static void main(String[] args) throws Exception {
        int users = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        long t0 = Instant.parse("2025-10-03T10:00:00Z").toEpochMilli();
        System.out.printf("users: %d, 3 events each within 10 minutes%n", users);
        measure("active_users marks (1m, 1h, 1d entries)", new ActiveUserMarks(60_000), users, t0);
        measure("retention cohort per user", new UserCohort(), users, t0);
        measure("path_transitions recent events", new SessionPaths(1_800_000, 120_000), users, t0);
        marks("de-duplication marks (3 event ids per user)", users, t0);
        PulseOptions options = PulseOptions.parse(new String[0], Map.of());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        @SuppressWarnings("unchecked")
        OneInputStreamOperator<BehaviorEvent, SessionDelta> sessions =
                ((OneInputTransformation<BehaviorEvent, SessionDelta>) SessionFunnel.sessionWindow(
                        env.fromData(event(0, 0, t0)).keyBy(e -> e.userId, Types.LONG), options)
                        .getTransformation()).getOperator();
        measure("session_funnel open session per user", new KeyedOneInputStreamOperatorTestHarness<>(sessions,
                (BehaviorEvent e) -> e.userId, Types.LONG), users, t0);
    }

    /** Bytes per event id held by the de-duplication step (keyed by event id, one mark each, no timer). */
    private static void marks(String what, int users, long t0) throws Exception {
        KeyedOneInputStreamOperatorTestHarness<String, BehaviorEvent, BehaviorEvent> h =
                new KeyedOneInputStreamOperatorTestHarness<>(new Deduplicate<BehaviorEvent>("behavior", 60_000, 60_000,
                        300_000), e -> e.eventId, Types.STRING);
        h.open();
        long before = usedAfterGc();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < 3; i++) {
                BehaviorEvent e = event(u, i, t0);
                h.processElement(new StreamRecord<>(e, e.eventTime));
            }
            if (u % 10_000 == 0) {
                h.getOutput().clear();
            }
        }
        h.getOutput().clear();
        long after = usedAfterGc();
        System.out.printf("%-42s %6.0f bytes per event id (state entries: %d, timers: %d)%n", what,
                (after - before) / (3.0 * users), h.numKeyedStateEntries(), h.numEventTimeTimers());
        h.close();
    }

    private static BehaviorEvent event(int u, int i, long t0) {
        BehaviorEvent e = new BehaviorEvent();
        e.userId = u;
        e.eventId = "e" + u + "-" + i;
        e.eventTime = t0 + i * 200_000L + u % 1000;
        e.eventType = BehaviorEvent.EVENT_TYPES.get(i);
        e.deviceType = "mobile";
        return e;
    }

    private static <O> void measure(String what, KeyedProcessFunction<Long, BehaviorEvent, O> fn, int users, long t0)
            throws Exception {
        measure(what, ProcessFunctionTestHarnesses.forKeyedProcessFunction(fn, e -> e.userId, Types.LONG), users, t0);
    }

    private static <O> void measure(String what, KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, O> h,
                                    int users, long t0) throws Exception {
        h.open();
        long before = usedAfterGc();
        for (int u = 0; u < users; u++) {
            for (int i = 0; i < 3; i++) {
                BehaviorEvent e = event(u, i, t0);
                h.processElement(new StreamRecord<>(e, e.eventTime));
            }
            if (u % 10_000 == 0) {
                h.getOutput().clear();
            }
        }
        h.getOutput().clear();
        long after = usedAfterGc();
        System.out.printf("%-42s %6.0f bytes per user (state entries: %d, timers: %d event time, %d processing time)%n",
                what, (after - before) / (double) users, h.numKeyedStateEntries(), h.numEventTimeTimers(),
                h.numProcessingTimeTimers());
        h.close();
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
