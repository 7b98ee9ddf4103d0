package dev.pulse.sink;

import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/**
 * The read-only role for BI tools (SPEC §4), {@value #NAME}: SELECT on every table and view of the job's schema,
 * present and future (default privileges of the role that installs them), EXECUTE on the dashboard functions, nothing
 * else. Applied by {@link SchemaInstaller} at every start:
 * <ul>
 *   <li>the role is created when it is missing and the job's role may create roles (superuser or CREATEROLE):
 *   NOINHERIT, read-only transactions by default ({@code default_transaction_read_only}), search_path = the schema
 *   in this database; without {@value #PASSWORD_ENV} it is NOLOGIN (an administrator can add LOGIN and a password
 *   later); when the job's role may not create it, one line goes to the log and nothing fails (the README gives the
 *   administrator's statements);</li>
 *   <li>with {@value #PASSWORD_ENV} set (and the right to manage roles) its password is set to it and it may log in.
 *   The password is hashed here (SCRAM-SHA-256, pgjdbc's {@code alterUserPassword}), so neither the server's
 *   statement log nor any message ever holds it;</li>
 *   <li>the grants are made whenever the role exists, by whoever created it.</li>
 * </ul>
 */
public final class ReaderRole {
    public static final String NAME = "pulse_reader";
    public static final String PASSWORD_ENV = "PULSE_READER_PASSWORD";

    private static final Logger LOG = LoggerFactory.getLogger(ReaderRole.class);
    private static final String DUPLICATE_OBJECT = "42710";
    private static final String INSUFFICIENT_PRIVILEGE = "42501";
    /** The functions a reader calls (PUBLIC may execute functions by default; granted explicitly all the same). */
    static final List<String> FUNCTIONS = List.of("pulse_dashboard(integer)", "bi_now()");

    /** What {@link #apply} found and did. */
    public enum Outcome {
        /** The role did not exist and the job's role may not create roles: nothing granted. */
        MISSING,
        /** Created now (and granted). */
        CREATED,
        /** Existed already; granted. */
        GRANTED
    }

    private ReaderRole() {}

    /** The password from the environment; empty counts as unset. */
    public static String password(Map<String, String> env) {
        String p = env.get(PASSWORD_ENV);
        return p == null || p.isEmpty() ? null : p;
    }

    static Outcome apply(Connection c, String schema, String password) throws SQLException {
        boolean exists = exists(c);
        boolean mayManageRoles = mayManageRoles(c);
        Outcome outcome = exists ? Outcome.GRANTED : Outcome.CREATED;
        if (!exists) {
            if (!mayManageRoles) {
                LOG.warn("role {} does not exist and user {} may not create roles: BI tools have no read-only role "
                        + "until an administrator creates it (README, section BI: CREATE ROLE {} ...); the next start "
                        + "grants it read access to schema {}", NAME, currentUser(c), NAME, schema);
                return Outcome.MISSING;
            }
            create(c, schema);
        }
        if (password != null) {
            if (mayManageRoles) {
                // Hashed by the driver; the statement sent holds the SCRAM verifier only.
                c.unwrap(PGConnection.class).alterUserPassword(NAME, password.toCharArray(), "scram-sha-256");
                execute(c, "ALTER ROLE " + NAME + " LOGIN");
            } else {
                LOG.warn("{} is set but user {} may not manage roles: the password of role {} is left as it is",
                        PASSWORD_ENV, currentUser(c), NAME);
            }
        }
        grant(c, schema);
        return outcome;
    }

    private static void create(Connection c, String schema) throws SQLException {
        try {
            execute(c, "CREATE ROLE " + NAME + " NOLOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION");
        } catch (SQLException e) {
            if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
                throw e; // another job created it meanwhile: fine, go on
            }
        }
        execute(c, "ALTER ROLE " + NAME + " SET default_transaction_read_only = on");
        execute(c, "ALTER ROLE " + NAME + " IN DATABASE " + ident(c, currentDatabase(c)) + " SET search_path = "
                + ident(c, schema));
        LOG.info("created role {} (read-only, search_path {} in this database)", NAME, schema);
    }

    /** The grants; a privilege the job's role lacks (it does not own the schema, say) is logged, not fatal. */
    private static void grant(Connection c, String schema) throws SQLException {
        String s = ident(c, schema);
        List<String> statements = new java.util.ArrayList<>(List.of(
                "GRANT USAGE ON SCHEMA " + s + " TO " + NAME,
                "GRANT SELECT ON ALL TABLES IN SCHEMA " + s + " TO " + NAME,
                "ALTER DEFAULT PRIVILEGES IN SCHEMA " + s + " GRANT SELECT ON TABLES TO " + NAME));
        for (String f : FUNCTIONS) {
            statements.add("GRANT EXECUTE ON FUNCTION " + s + "." + f + " TO " + NAME);
        }
        for (String sql : statements) {
            try {
                execute(c, sql);
            } catch (SQLException e) {
                if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                    throw e;
                }
                LOG.warn("user {} may not run {} ({}); an administrator runs it", currentUser(c), sql,
                        e.getMessage().split("\\R")[0]);
            }
        }
    }

    /** The statements an administrator runs when the job's role may not create roles (also in the README). */
    public static List<String> administratorStatements(String database, String schema) {
        return List.of(
                "CREATE ROLE " + NAME + " LOGIN PASSWORD 'choose-one' NOINHERIT",
                "ALTER ROLE " + NAME + " SET default_transaction_read_only = on",
                "ALTER ROLE " + NAME + " IN DATABASE " + database + " SET search_path = " + schema);
    }

    static boolean exists(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
            ps.setString(1, NAME);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    private static boolean mayManageRoles(Connection c) throws SQLException {
        return bool(c, "SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user");
    }

    private static boolean bool(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    private static String currentUser(Connection c) throws SQLException {
        return text(c, "SELECT current_user");
    }

    private static String currentDatabase(Connection c) throws SQLException {
        return text(c, "SELECT current_database()");
    }

    private static String text(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static String ident(Connection c, String name) throws SQLException {
        return c.unwrap(PGConnection.class).escapeIdentifier(name);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }
}
