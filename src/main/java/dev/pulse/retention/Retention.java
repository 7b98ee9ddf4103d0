package dev.pulse.retention;

import dev.pulse.config.PulseOptions;
import dev.pulse.metric.MetricFamily;
import dev.pulse.metric.MetricInputs;
import dev.pulse.metric.SinkTable;
import dev.pulse.metric.TableSinks;
import dev.pulse.window.DeltaCombiner;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;

import java.util.List;

import static dev.pulse.metric.Column.bigint;
import static dev.pulse.metric.Column.date;
import static dev.pulse.metric.Column.numeric;

/**
 * {@code retention}: cohorts by the UTC day of a user's earliest counted behaviour event; users retained on day 1, 7
 * and 30. Per user 8 bytes ({@link UserCohort}); per cohort four sums ({@link RetentionRows}).
 */
public final class Retention extends MetricFamily {
    public static final SinkTable<RetentionRow> TABLE = SinkTable.of("retention", RetentionRow.class,
            List.of(date("cohort_day", r -> r.windowStart)),
            List.of(bigint("cohort_size", r -> r.cohortSize), bigint("retained_d1", r -> r.retainedD1),
                    bigint("retained_d7", r -> r.retainedD7), bigint("retained_d30", r -> r.retainedD30),
                    numeric("rate_d1", r -> r.rateD1), numeric("rate_d7", r -> r.rateD7),
                    numeric("rate_d30", r -> r.rateD30)));

    // Operator uids (never change once released).
    public static final String COHORTS_UID = "retention-user-cohorts";
    public static final String COMBINE_UID = "retention-combine";
    public static final String ROWS_UID = "retention-rows";

    public Retention() {
        super(TABLE);
    }

    @Override
    public void build(MetricInputs inputs, PulseOptions options, TableSinks sinks) {
        TABLE.sink(DeltaCombiner.combine(inputs.behaviorByUser()
                        .process(new UserCohort(), TypeInformation.of(CohortDelta.class))
                        .uid(COHORTS_UID).name("retention: cohort and active days per user"),
                        TypeInformation.of(CohortDelta.class), COMBINE_UID, "retention: add up per cohort")
                .keyBy(d -> d.cohortDay, Types.LONG)
                .process(new RetentionRows(options.allowedLateness().toMillis(), options.emitInterval().toMillis()),
                        TypeInformation.of(RetentionRow.class))
                .uid(ROWS_UID).name("retention rows"), sinks);
    }
}
