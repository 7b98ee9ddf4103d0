package dev.pulse.bench;

import dev.pulse.bench.FreshnessTimeline.Poll;
import dev.pulse.bench.FreshnessTimeline.Summary;
import dev.pulse.bench.FreshnessTimeline.WindowResult;

import org.junit.jupiter.api.Test;

import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

class FreshnessTimelineTest {
    private static final long MINUTE = 60_000;
    private static final long W0 = 1_700_000_040_000L; // a minute boundary
    private static final long W1 = W0 + MINUTE;

    @Test
    void eachEventBecomesVisibleAtThePollWhoseCountFirstReachesItsRank() {
        FreshnessTimeline t = new FreshnessTimeline();
        for (long at : new long[] {W0, W0 + 10, W0 + 20, W0 + 30}) {
            t.arrived(W0, at);
        }
        t.observed(W0, new Poll(W0 + 100, 2, false));
        t.observed(W0, new Poll(W0 + 120, 2, false));
        t.observed(W0, new Poll(W0 + 200, 4, false));

        Summary s = t.summary(W0, W1);

        // 100, 90 (first two at the poll of t+100), 180, 170 (the other two at t+200)
        assertThat(s.events()).isEqualTo(4);
        assertThat(s.unseen()).isZero();
        assertThat(s.p50()).isEqualTo(100);
        assertThat(s.max()).isEqualTo(180);
        assertThat(s.mean()).isEqualTo(135.0);
    }

    @Test
    void eventsArePairedWithCountsInArrivalOrderHoweverTheArrivalsAreReported() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0 + 30);  // acknowledgements come back per partition, not in arrival order
        t.arrived(W0, W0);
        t.observed(W0, new Poll(W0 + 50, 1, false));
        t.observed(W0, new Poll(W0 + 70, 2, false));

        Summary s = t.summary(W0, W1);

        assertThat(s.p50()).isEqualTo(40);  // the earlier arrival takes rank 1: 50 and 40 ms, not 80 and 20
        assertThat(s.max()).isEqualTo(50);
    }

    @Test
    void warmUpEventsTakeTheirRanksButAreNotReported() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0 + 1_000);  // warm-up
        t.arrived(W0, W0 + 25_000); // measured
        t.observed(W0, new Poll(W0 + 20_000, 1, false));
        t.observed(W0, new Poll(W0 + 26_500, 2, false));

        Summary s = t.summary(W0 + 20_000, W1);

        assertThat(s.events()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(1_500);
    }

    @Test
    void anEventWhoseRankTheCountNeverReachesIsUnseenAndNotInThePercentiles() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0);
        t.arrived(W0, W0 + 5);
        t.arrived(W0, W0 + 9);
        t.observed(W0, new Poll(W0 + 1_000, 2, false));

        Summary s = t.summary(W0, W1);

        assertThat(s.events()).isEqualTo(2);
        assertThat(s.unseen()).isEqualTo(1);
        assertThat(s.max()).isEqualTo(1_000);
    }

    @Test
    void aCountThatFallsBackDoesNotMakeItsEventsVisibleASecondTime() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0);
        t.arrived(W0, W0 + 1);
        t.observed(W0, new Poll(W0 + 100, 2, false));
        t.observed(W0, new Poll(W0 + 200, 1, false)); // an older early row written again after a restore
        t.observed(W0, new Poll(W0 + 900, 2, false));

        Summary s = t.summary(W0, W1);

        assertThat(s.max()).isEqualTo(100);
    }

    @Test
    void aCountAboveTheEventsThatArrivedIsAnOvercountNotALatency() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0);
        t.observed(W0, new Poll(W0 + 100, 3, false));

        assertThat(t.summary(W0, W1).events()).isEqualTo(1);
        assertThat(t.windows()).singleElement().extracting(WindowResult::overcount).isEqualTo(2L);
    }

    @Test
    void eachMinuteCountsOnlyItsOwnEvents() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0 + 59_990);
        t.arrived(W1, W1 + 10);
        t.observed(W1, new Poll(W1 + 500, 1, false));
        t.observed(W0, new Poll(W1 + 800, 1, false));

        Summary s = t.summary(W0, W1 + MINUTE);

        assertThat(s.p50()).isEqualTo(490);
        assertThat(s.max()).isEqualTo(810);
    }

    @Test
    void finalityAndTheLastChangeAreTimedFromTheWindowEnd() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0 + 59_999);
        t.observed(W0, new Poll(W1 - 30_000, 0, false));
        t.observed(W0, new Poll(W1 + 1_200, 1, false));
        t.observed(W0, new Poll(W1 + 6_400, 1, true));
        t.observed(W1, new Poll(W1 + 6_400, 0, false));

        assertThat(t.windows()).extracting(WindowResult::windowStart, WindowResult::lastChangeAfterEndMs,
                WindowResult::finalAfterEndMs).containsExactly(
                tuple(W0, 1_200L, 6_400L),
                tuple(W1, -1L, -1L));
    }

    @Test
    void percentilesAreNearestRank() {
        long[] oneToHundred = LongStream.rangeClosed(1, 100).toArray();

        assertThat(FreshnessTimeline.percentile(oneToHundred, 50)).isEqualTo(50);
        assertThat(FreshnessTimeline.percentile(oneToHundred, 90)).isEqualTo(90);
        assertThat(FreshnessTimeline.percentile(oneToHundred, 99)).isEqualTo(99);
        assertThat(FreshnessTimeline.percentile(oneToHundred, 100)).isEqualTo(100);
        assertThat(FreshnessTimeline.percentile(new long[] {7}, 99)).isEqualTo(7);
        assertThat(FreshnessTimeline.percentile(new long[0], 50)).isEqualTo(-1);
    }

    @Test
    void noMeasuredEventGivesNoFigures() {
        FreshnessTimeline t = new FreshnessTimeline();
        t.arrived(W0, W0);

        Summary s = t.summary(W1, W1 + MINUTE);

        assertThat(s.events()).isZero();
        assertThat(s.p99()).isEqualTo(-1);
        assertThat(s.max()).isEqualTo(-1);
    }
}
