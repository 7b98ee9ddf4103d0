package dev.pulse.sink;

import dev.pulse.config.PulseOptions;
import dev.pulse.config.UsageException;

import java.io.IOException;
import java.io.InputStream;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the DDL of {@code sql/postgres/} (packed into the jar) to {@code --schema}, idempotently, at start-up.
 * Failing to reach the database here is a start-up error (exit 2) with the address and the fix; a missing privilege
 * names the exact statement an administrator runs.
 */
public final class SchemaInstaller {
    /** Applied in this order; each file is idempotent. */
    public static final List<String> FILES = List.of("sql/postgres/schema.sql", "sql/postgres/views.sql",
            "sql/postgres/bi_views.sql", "sql/postgres/bi_dashboard.sql", "sql/postgres/bi_housekeeping.sql");

    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    private SchemaInstaller() {}

    public static void install(JdbcSettings jdbc) throws UsageException {
        install(jdbc, null);
    }

    /**
     * The DDL, then the read-only role {@link ReaderRole} (its password, or null: {@link ReaderRole#password}) and a
     * first run of the 1-minute retention ({@link MinuteGrainPruning}).
     */
    public static void install(JdbcSettings jdbc, String readerPassword) throws UsageException {
        try (Connection c = jdbc.connect(); Statement st = c.createStatement()) {
            createSchemaIfMissing(c, jdbc);
            checkSchemaPrivileges(c, jdbc);
            st.execute("SET search_path TO \"" + jdbc.schema() + "\"");
            for (String file : FILES) {
                st.execute(read(file));
            }
            ReaderRole.apply(c, jdbc.schema(), readerPassword);
            MinuteGrainPruning.prune(c);
        } catch (SQLException e) {
            throw new UsageException(describe(jdbc, e));
        }
    }

    /**
     * CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists: a least-privilege role
     * that owns a schema an administrator made for it could not start. So create it only when it is missing.
     */
    private static void createSchemaIfMissing(Connection c, JdbcSettings jdbc) throws SQLException, UsageException {
        try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM pg_namespace WHERE nspname = ?")) {
            ps.setString(1, jdbc.schema());
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    return;
                }
            }
        }
        try (Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + jdbc.schema() + "\"");
        } catch (SQLException e) {
            if (!INSUFFICIENT_PRIVILEGE.equals(e.getSQLState())) {
                throw e;
            }
            String user = quotedCurrent(c, "current_user");
            throw new UsageException("--schema: schema " + jdbc.schema() + " does not exist in " + jdbc.target()
                    + " and user " + user + " may not create it; an administrator runs CREATE SCHEMA " + jdbc.schema()
                    + " AUTHORIZATION " + user + " (or GRANT CREATE ON DATABASE " + quotedCurrent(c, "current_database()")
                    + " TO " + user + "), or choose an existing --schema");
        }
    }

    /** Checked up front so that the hint names the grant, not the first table the DDL happened to fail on. */
    private static void checkSchemaPrivileges(Connection c, JdbcSettings jdbc) throws SQLException, UsageException {
        try (PreparedStatement ps = c.prepareStatement(
                "SELECT has_schema_privilege(?, 'USAGE') AND has_schema_privilege(?, 'CREATE')")) {
            ps.setString(1, jdbc.schema());
            ps.setString(2, jdbc.schema());
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                if (rs.getBoolean(1)) {
                    return;
                }
            }
        }
        String user = quotedCurrent(c, "current_user");
        throw new UsageException("--schema: user " + user + " may not create tables in schema " + jdbc.schema() + " of "
                + jdbc.target() + "; an administrator runs GRANT USAGE, CREATE ON SCHEMA " + jdbc.schema() + " TO "
                + user + ", or choose another --schema");
    }

    private static String quotedCurrent(Connection c, String expression) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT quote_ident(" + expression + ")")) {
            rs.next();
            return rs.getString(1);
        }
    }

    public static String read(String resource) {
        try (InputStream in = SchemaInstaller.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException(resource + " is missing from the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static Throwable rootCause(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }

    static String describe(JdbcSettings jdbc, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String address = jdbc.target();
        String first = jdbc.redact(e.getMessage() == null ? e.toString() : e.getMessage().split("\\R")[0]);
        if (state.equals("08004") && first.contains("password")) {
            return "--jdbc-user: PostgreSQL at " + address + " asks for a password for user '" + jdbc.user()
                    + "' and none was given; set the environment variable " + PulseOptions.PASSWORD_ENV + " to it";
        }
        if (state.startsWith("08") && rootCause(e) instanceof UnknownHostException u) {
            return "--jdbc-url: cannot reach PostgreSQL at " + address + " (unknown host " + u.getMessage()
                    + "); correct the host in --jdbc-url";
        }
        if (state.startsWith("08")) {
            return "--jdbc-url: cannot reach PostgreSQL at " + address + " (" + first
                    + "); start the server or correct --jdbc-url";
        }
        if (state.equals("28P01")) {
            return "--jdbc-user: PostgreSQL at " + address + " rejected the password for user '" + jdbc.user()
                    + "'; set " + PulseOptions.PASSWORD_ENV + " to that user's password, or correct --jdbc-user";
        }
        if (state.equals("28000")) {
            return "--jdbc-user: PostgreSQL at " + address + " refused user '" + jdbc.user() + "' (" + first
                    + "); check --jdbc-user and the server's pg_hba.conf";
        }
        if (state.equals("3D000")) {
            return "--jdbc-url: " + first + " at " + address + "; create the database or name another in --jdbc-url";
        }
        if (state.startsWith("42")) {
            return "--schema: cannot install the tables in schema '" + jdbc.schema() + "' as user '" + jdbc.user()
                    + "' (" + first + "); let that user own the schema's tables and views, or choose another --schema";
        }
        return "--jdbc-url: PostgreSQL at " + address + " failed: " + first;
    }
}
