package dev.pulse.retention;

import dev.pulse.events.BehaviorEvent;

import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.streaming.runtime.streamrecord.StreamRecord;
import org.apache.flink.streaming.util.KeyedOneInputStreamOperatorTestHarness;
import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class RetentionTest {
    private static final long DAY = UserCohort.DAY;

    private static long at(String instant) {
        return Instant.parse(instant).toEpochMilli();
    }

    private static BehaviorEvent event(long user, String id, long time) {
        BehaviorEvent e = new BehaviorEvent();
        e.eventId = id;
        e.eventTime = time;
        e.userId = user;
        e.eventType = "page_view";
        return e;
    }

    private static KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, CohortDelta> cohorts() throws Exception {
        var h = ProcessFunctionTestHarnesses.forKeyedProcessFunction(new UserCohort(), (BehaviorEvent e) -> e.userId,
                Types.LONG);
        h.open();
        return h;
    }

    private static void send(KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, CohortDelta> h, BehaviorEvent e)
            throws Exception {
        h.processElement(new StreamRecord<>(e, e.eventTime));
    }

    /** "cohort size d1 d7 d30" for each delta. */
    private static List<String> deltas(KeyedOneInputStreamOperatorTestHarness<Long, BehaviorEvent, CohortDelta> h) {
        List<String> out = h.extractOutputValues().stream()
                .map(d -> Instant.ofEpochMilli(d.cohortDay).atOffset(ZoneOffset.UTC).toLocalDate() + " " + d.size + " "
                        + d.d1 + " " + d.d7 + " " + d.d30).toList();
        h.getOutput().clear();
        return out;
    }

    @Test
    void aUserJoinsTheCohortOfTheirFirstDayAndIsRetainedOnDays1And7And30AcrossAMonthBoundary() throws Exception {
        var h = cohorts();
        send(h, event(1, "a", at("2025-01-31T23:59:00Z")));
        send(h, event(1, "b", at("2025-02-01T00:01:00Z")));  // day 1
        send(h, event(1, "c", at("2025-02-01T12:00:00Z")));  // day 1 again: nothing new
        send(h, event(1, "d", at("2025-02-03T12:00:00Z")));  // day 3: not reported
        send(h, event(1, "e", at("2025-02-07T08:00:00Z")));  // day 7
        send(h, event(1, "f", at("2025-03-02T08:00:00Z")));  // day 30 (February has 28 days)
        send(h, event(1, "g", at("2025-03-03T08:00:00Z")));  // day 31: beyond the tracked days
        assertThat(deltas(h)).containsExactly("2025-01-31 1 0 0 0", "2025-01-31 0 1 0 0", "2025-01-31 0 0 1 0",
                "2025-01-31 0 0 0 1");
        assertThat(h.numKeyedStateEntries()).isEqualTo(1);
    }

    @Test
    void aLateEventOfAnEarlierDayMovesTheUserToThatCohortWithTheirDaysRebased() throws Exception {
        var h = cohorts();
        send(h, event(2, "a", at("2025-10-04T00:00:10Z")));
        send(h, event(2, "b", at("2025-10-05T09:00:00Z")));  // day 1 of the 4th
        assertThat(deltas(h)).containsExactly("2025-10-04 1 0 0 0", "2025-10-04 0 1 0 0");

        send(h, event(2, "late", at("2025-10-03T23:59:50Z"))); // the 5th is now day 2 of the 3rd, the 4th day 1
        assertThat(deltas(h)).containsExactly("2025-10-04 -1 -1 0 0", "2025-10-03 1 1 0 0");

        send(h, event(2, "c", at("2025-10-10T10:00:00Z")));  // day 7 of the new cohort
        assertThat(deltas(h)).containsExactly("2025-10-03 0 0 1 0");
    }

    @Test
    void cohortRowsSumTheirUsersWithRatesAndAreFinalAndDroppedAfterDay30() throws Exception {
        long cohort = LocalDate.parse("2025-10-03").atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
        KeyedOneInputStreamOperatorTestHarness<Long, CohortDelta, RetentionRow> h =
                ProcessFunctionTestHarnesses.forKeyedProcessFunction(new RetentionRows(60_000, 1000), d -> d.cohortDay,
                        Types.LONG);
        h.open();
        h.setProcessingTime(0);
        for (int user = 0; user < 3; user++) {
            h.processElement(new StreamRecord<>(new CohortDelta(cohort, 1, 0, 0, 0), cohort));
        }
        h.processElement(new StreamRecord<>(new CohortDelta(cohort, 0, 1, 0, 0), cohort + DAY));
        h.setProcessingTime(1000);
        h.processElement(new StreamRecord<>(new CohortDelta(cohort, 0, 0, 0, 1), cohort + 30 * DAY));
        h.processWatermark(cohort + 31 * DAY - 1);          // day 30 is over: final
        h.processWatermark(cohort + 31 * DAY - 1 + 60_000); // its lateness too: dropped

        assertThat(h.extractOutputValues()).extracting(r -> r.cohortSize + " " + r.retainedD1 + " " + r.rateD1 + " "
                + r.retainedD30 + " " + r.rateD30 + " " + r.isFinal)
                .containsExactly("3 1 0.3333 0 0.0000 false", "3 1 0.3333 1 0.3333 true");
        assertThat(h.numKeyedStateEntries()).isZero();
        assertThat(h.numEventTimeTimers()).isZero();
    }
}
