package dev.pulse.sink;

import org.apache.flink.api.common.operators.ProcessingTimeService;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

/**
 * Retention of the 1-minute grain: {@code pulse_prune_minutes()} (sql/postgres/bi_housekeeping.sql) called until it
 * deletes nothing, each call its own short transaction of at most {@value #BATCH} rows per table, so readers never
 * wait and the sink's upserts never queue behind a long delete. How long rows are kept is the PostgreSQL setting
 * {@code pulse.retention_1m} of the job's session (default 30 days, {@code off} keeps all), e.g.
 * {@code ALTER ROLE pulse SET pulse.retention_1m = '90 days'}. Runs at every start ({@link SchemaInstaller}) and,
 * while the job runs, every {@link #INTERVAL} from subtask 0 of the order_metrics sink ({@link #periodic}).
 */
public final class MinuteGrainPruning {
    public static final Duration INTERVAL = Duration.ofHours(1);
    static final int BATCH = 5000;
    /** A bound on one run, so that a setting far too short cannot keep a sink busy: the next run goes on. */
    private static final int MAX_CALLS = 1000;
    private static final Logger LOG = LoggerFactory.getLogger(MinuteGrainPruning.class);

    private MinuteGrainPruning() {}

    /** Prunes until nothing is left to prune; the rows deleted. The connection's search_path is the schema. */
    public static long prune(Connection c) throws SQLException {
        boolean autoCommit = c.getAutoCommit();
        c.setAutoCommit(true);
        long total = 0;
        try (Statement st = c.createStatement()) {
            for (int i = 0; i < MAX_CALLS; i++) {
                long n;
                try (ResultSet rs = st.executeQuery("SELECT pulse_prune_minutes(NULL, " + BATCH + ")")) {
                    rs.next();
                    n = rs.getLong(1);
                }
                total += n;
                if (n == 0) {
                    break;
                }
            }
        } finally {
            c.setAutoCommit(autoCommit);
        }
        if (total > 0) {
            LOG.info("retention: deleted {} rows of 1-minute windows", total);
        }
        return total;
    }

    /** Wraps a sink so that its first subtask prunes every {@link #INTERVAL} while the job runs. */
    public static <T> Sink<T> periodic(Sink<T> sink, JdbcSettings jdbc) {
        return new PruningSink<>(sink, jdbc, INTERVAL.toMillis());
    }

    static final class PruningSink<T> implements Sink<T> {
        private static final long serialVersionUID = 1L;
        private final Sink<T> inner;
        private final JdbcSettings jdbc;
        private final long intervalMs;

        PruningSink(Sink<T> inner, JdbcSettings jdbc, long intervalMs) {
            this.inner = inner;
            this.jdbc = jdbc;
            this.intervalMs = intervalMs;
        }

        @Override
        public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
            SinkWriter<T> writer = inner.createWriter(context);
            if (context.getTaskInfo().getIndexOfThisSubtask() == 0) {
                schedule(context.getProcessingTimeService(), jdbc, intervalMs);
            }
            return writer;
        }
    }

    /** Housekeeping must not fail the job: a failed run is logged and the next one comes an interval later. */
    static void schedule(ProcessingTimeService timers, JdbcSettings jdbc, long intervalMs) {
        timers.registerTimer(timers.getCurrentProcessingTime() + intervalMs, t -> {
            try (Connection c = jdbc.connect()) {
                prune(c);
            } catch (SQLException | RuntimeException e) {
                LOG.warn("retention: pruning 1-minute windows failed, trying again in {} s: {}", intervalMs / 1000,
                        jdbc.redact(String.valueOf(e.getMessage()).split("\\R")[0]));
            }
            schedule(timers, jdbc, intervalMs);
        });
    }
}
