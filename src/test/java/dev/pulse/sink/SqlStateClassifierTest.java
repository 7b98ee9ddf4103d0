package dev.pulse.sink;

import org.apache.flink.runtime.execution.SuppressRestartsException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.sql.BatchUpdateException;
import java.sql.SQLException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlStateClassifierTest {

    /** As flink-connector-jdbc fails a batch after its retries: IOException(BatchUpdateException(server error)). */
    private static IOException connectorFailure(String sqlState, String serverMessage) {
        SQLException server = new SQLException("ERROR: " + serverMessage + "\n  Detail: Failing row contains (1m, ...)",
                sqlState);
        BatchUpdateException batch = new BatchUpdateException("Batch entry 0 INSERT INTO order_metrics (grain, ...) "
                + "VALUES (('1m'), ...) was aborted: ERROR: " + serverMessage, sqlState, 0, new int[0], server);
        batch.setNextException(server);
        return new IOException(batch);
    }

    @ParameterizedTest
    @ValueSource(strings = {"08006", "08001", "40001", "40P01", "53100", "53300", "57P01", "57P03", "58030", "57014", "55P03"})
    void connectionSerializationResourceShutdownAndSystemErrorsAreTransient(String sqlState) {
        assertThat(SqlStateClassifier.isTransient(sqlState)).isTrue();
        assertThat(SqlStateClassifier.permanentCause(connectorFailure(sqlState, "x"))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"22001", "22P02", "23505", "23514", "42501", "42P01", "28P01", "XX000"})
    void dataConstraintPermissionAuthAndOtherErrorsArePermanent(String sqlState) {
        assertThat(SqlStateClassifier.isTransient(sqlState)).isFalse();
        assertThat(SqlStateClassifier.permanentCause(connectorFailure(sqlState, "x")))
                .hasValueSatisfying(e -> assertThat(e.getSQLState()).isEqualTo(sqlState));
    }

    @Test
    void aFailureWithoutAnySqlStateIsLeftToTheRestartStrategy() {
        assertThat(SqlStateClassifier.permanentCause(new IOException(new SQLException("no state")))).isEmpty();
        assertThat(SqlStateClassifier.permanentCause(new RuntimeException("not a database error"))).isEmpty();
    }

    @Test
    void thePermanentFailureNamesTheTableAndThePostgresMessageOnOneLineAndSuppressesRestarts() {
        IOException failure = connectorFailure("23514",
                "new row for relation \"order_metrics\" violates check constraint \"gmv_cap\"");

        assertThatThrownBy(() -> FailFastSink.Writer.stopIfPermanent(failure, "order_metrics"))
                .isInstanceOf(SuppressRestartsException.class)
                .cause().isInstanceOf(PermanentSinkFailure.class).hasNoCause()
                .hasMessage("writing to order_metrics: new row for relation \"order_metrics\" violates check "
                        + "constraint \"gmv_cap\" (SQLState 23514; a restart cannot fix this, so the job was not "
                        + "restarted)")
                .satisfies(e -> assertThat(e.getSuppressed()).containsExactly(failure));
    }

    @Test
    void aTransientFailureIsRethrownAsItWas() {
        FailFastSink.Writer.stopIfPermanent(connectorFailure("08006", "An I/O error occurred"), "order_metrics");
    }

    @Test
    void theTableIsTakenFromTheInsertStatement() {
        assertThat(FailFastSink.tableOf(dev.pulse.orders.OrderMetrics.TABLE.upsertSql())).isEqualTo("order_metrics");
        assertThat(FailFastSink.tableOf(PostgresSinks.INSERT_DEAD_LETTER)).isEqualTo("dead_letters");
        assertThat(FailFastSink.tableOf(dev.pulse.sliding.SlidingMetrics.GMV_TABLE.upsertSql())).isEqualTo("gmv_sliding");
    }
}
