package dev.pulse.sink;

import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.runtime.execution.SuppressRestartsException;

import java.io.IOException;
import java.sql.SQLException;
import java.util.Optional;

/**
 * Wraps a PostgreSQL sink so that a failure no restart can fix ({@link SqlStateClassifier}) fails the job at once:
 * it is rethrown inside Flink's {@link SuppressRestartsException}, which the scheduler treats as non-recoverable
 * whatever the restart strategy. Transient failures pass unchanged, and Flink restarts the job as configured.
 * The JDBC connector has already retried the batch (with reconnect) when its failure gets here.
 */
public final class FailFastSink<T> implements Sink<T> {
    private static final long serialVersionUID = 1L;

    private final Sink<T> inner;
    private final String table;

    public FailFastSink(Sink<T> inner, String table) {
        this.inner = inner;
        this.table = table;
    }

    /** The table an {@code INSERT INTO <table> ...} statement writes to, for messages. */
    public static String tableOf(String insertSql) {
        String[] words = insertSql.trim().split("\\s+");
        return words.length > 2 && words[0].equalsIgnoreCase("INSERT") ? words[2] : "PostgreSQL";
    }

    @Override
    public SinkWriter<T> createWriter(WriterInitContext context) throws IOException {
        try {
            return new Writer<>(inner.createWriter(context), table);
        } catch (IOException | RuntimeException e) {
            Writer.stopIfPermanent(e, table);
            throw e;
        }
    }

    static final class Writer<T> implements SinkWriter<T> {
        private final SinkWriter<T> inner;
        private final String table;

        Writer(SinkWriter<T> inner, String table) {
            this.inner = inner;
            this.table = table;
        }

        @Override
        public void write(T element, Context context) throws IOException, InterruptedException {
            try {
                inner.write(element, context);
            } catch (IOException | RuntimeException e) {
                stopIfPermanent(e, table);
                throw e;
            }
        }

        @Override
        public void flush(boolean endOfInput) throws IOException, InterruptedException {
            try {
                inner.flush(endOfInput);
            } catch (IOException | RuntimeException e) {
                stopIfPermanent(e, table);
                throw e;
            }
        }

        @Override
        public void close() throws Exception {
            try {
                inner.close();
            } catch (IOException | RuntimeException e) {
                stopIfPermanent(e, table);
                throw e;
            }
        }

        /** Throws a failure that suppresses restarts when no restart can fix this one; else returns. */
        static void stopIfPermanent(Exception failure, String table) {
            Optional<SQLException> permanent = SqlStateClassifier.permanentCause(failure);
            if (permanent.isPresent()) {
                throw new SuppressRestartsException(new PermanentSinkFailure(table, permanent.get(), failure));
            }
        }
    }
}
