package dev.pulse.bench;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class LiveReportTest {
    @Test
    void theSlopeIsTakenOverTheSecondHalfOfTheRun() {
        // Grows 100 MB/min for the first half, then flat: the slope says flat.
        List<LiveReport.Sample> samples = LiveReport.samples(List.of("s\theap_mb\trss_mb",
                "60\t100\t900", "120\t200\t900", "180\t300\t900", "240\t300\t900", "300\t300\t900", "360\t300\t900"));
        assertThat(samples).hasSize(6);
        assertThat(LiveReport.slopeMbPerMinute(samples)).isCloseTo(0.0, within(1e-9));
        assertThat(LiveReport.slopeMbPerMinute(LiveReport.samples(List.of("s\theap_mb\trss_mb", "0\t0\t1", "60\t10\t1",
                "120\t20\t1")))).isCloseTo(10.0, within(1e-9));
    }

    @Test
    void readsRocksDbFilesAndEventsReadAndTakesTheirRatesOverTheSecondHalf() {
        List<LiveReport.Sample> samples = LiveReport.samples(List.of("s\theap_mb\trss_mb\tstate_disk_mb\tevents_in",
                "0\t100\t900\t0\t0", "60\t100\t900\t50\t390000", "120\t100\t900\t60\t780000",
                "180\t100\t900\t70\t1170000"));
        assertThat(samples.get(1)).isEqualTo(new LiveReport.Sample(60, 100, 900, 50, 390_000));
        assertThat(LiveReport.slopePerMinute(samples, LiveReport.Sample::stateDiskMb)).isCloseTo(10.0, within(1e-9));
        assertThat(LiveReport.slopePerMinute(samples, LiveReport.Sample::eventsIn) / 60).isCloseTo(6500.0, within(1e-6));
    }

    @Test
    void readsFlinksCompletedCheckpointLines() {
        List<LiveReport.Checkpoint> cps = LiveReport.checkpoints(List.of(
                "2026-11-23 23:31:45,329 INFO  org.apache.flink.runtime.checkpoint.CheckpointCoordinator    [] - Completed "
                        + "checkpoint 1 for job 5de16156c66b38d6e2ac446c58983d91 (334452 bytes, checkpointDuration=1121 ms, "
                        + "finalizationTime=17 ms).",
                "an unrelated line"));
        assertThat(cps).containsExactly(new LiveReport.Checkpoint(1, 334452, 1121));
        assertThat(LiveReport.percentile(List.of(5L, 1L, 3L, 2L, 4L), 50)).isEqualTo(3);
        assertThat(LiveReport.percentile(List.of(5L, 1L, 3L, 2L, 4L), 99)).isEqualTo(5);
    }
}
