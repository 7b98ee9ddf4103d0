package dev.pulse.sink;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Whether a failed write to PostgreSQL can succeed when Flink restarts the job, judged by the SQLState of the
 * error (PostgreSQL appendix A). Transient: the connection or the server is in trouble ({@code 08} connection,
 * {@code 40} serialization failure or deadlock, {@code 53} insufficient resources, {@code 57P} admin shutdown or
 * crash, {@code 58} system error, {@code 57014} a statement cancelled or timed out and {@code 55P03} a lock not
 * granted, both what a busy server does for a while). Anything else (data exception {@code 22}, constraint {@code 23}, auth
 * {@code 28}, permission or undefined table {@code 42}, ...) fails the same way after every restart: permanent.
 */
public final class SqlStateClassifier {
    private static final List<String> TRANSIENT_PREFIXES = List.of("08", "40", "53", "57P", "58", "57014", "55P03");

    private SqlStateClassifier() {}

    /** An unknown state (null) counts as transient: a restart is the behaviour the job had before it was judged. */
    public static boolean isTransient(String sqlState) {
        return sqlState == null || TRANSIENT_PREFIXES.stream().anyMatch(sqlState::startsWith);
    }

    /**
     * The database error that makes this failure permanent, if there is one: the innermost SQLException with a
     * state in the cause chain (the server's own error, inside the driver's batch exception), batch chains included.
     */
    public static Optional<SQLException> permanentCause(Throwable failure) {
        SQLException decisive = null;
        for (SQLException e : sqlExceptions(failure)) {
            if (e.getSQLState() != null) {
                decisive = e;
            }
        }
        return decisive == null || isTransient(decisive.getSQLState()) ? Optional.empty() : Optional.of(decisive);
    }

    private static List<SQLException> sqlExceptions(Throwable failure) {
        List<SQLException> found = new ArrayList<>();
        Map<Throwable, Boolean> seen = new IdentityHashMap<>();
        for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
            if (t instanceof SQLException) {
                found.add((SQLException) t);
                for (SQLException next = ((SQLException) t).getNextException();
                     next != null && seen.put(next, true) == null; next = next.getNextException()) {
                    found.add(next);
                }
            }
        }
        return found;
    }
}
