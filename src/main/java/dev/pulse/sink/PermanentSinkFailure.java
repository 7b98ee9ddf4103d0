package dev.pulse.sink;

import java.sql.SQLException;

/**
 * A write to PostgreSQL that no restart can fix. Its message is the one line {@code bin/pulse} and {@code flink run}
 * print ({@code pulse: the job failed: <message>}): the table and PostgreSQL's own message, which never holds the
 * password. It has no cause on purpose, so that it is the root cause those lines report; the original failure, with
 * the driver's full error, rides along as a suppressed exception and is in the log's stack trace.
 */
public final class PermanentSinkFailure extends Exception {
    private static final long serialVersionUID = 1L;

    PermanentSinkFailure(String table, SQLException error, Throwable failure) {
        super("writing to " + table + ": " + serverMessage(error) + " (SQLState " + error.getSQLState()
                + "; a restart cannot fix this, so the job was not restarted)");
        addSuppressed(failure);
    }

    /** PostgreSQL's message, first line, without the severity pgjdbc puts in front ({@code ERROR: }). */
    static String serverMessage(SQLException error) {
        String m = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        return m.split("\\R")[0].replaceFirst("^(ERROR|FATAL|PANIC):\\s+", "").trim();
    }
}
