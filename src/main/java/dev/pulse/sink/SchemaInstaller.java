package dev.pulse.sink;

import dev.pulse.config.UsageException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the DDL of {@code sql/postgres/} (packed into the jar) to {@code --schema}, idempotently, at start-up.
 * Failing to reach the database here is a start-up error (exit 2) with the address and the fix.
 */
public final class SchemaInstaller {
    /** Applied in this order; each file is idempotent. */
    public static final List<String> FILES = List.of("sql/postgres/schema.sql", "sql/postgres/views.sql");

    private SchemaInstaller() {}

    public static void install(JdbcSettings jdbc) throws UsageException {
        try (Connection c = jdbc.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + jdbc.schema() + "\"");
            st.execute("SET search_path TO \"" + jdbc.schema() + "\"");
            for (String file : FILES) {
                st.execute(read(file));
            }
        } catch (SQLException e) {
            throw new UsageException(describe(jdbc, e));
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

    static String describe(JdbcSettings jdbc, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String address = address(jdbc.url());
        String first = e.getMessage() == null ? e.toString() : e.getMessage().split("\\R")[0];
        if (state.startsWith("08")) {
            return "--jdbc-url: cannot reach PostgreSQL at " + address + " (" + first
                    + "); start the server or correct --jdbc-url";
        }
        if (state.equals("28P01") || state.equals("28000")) {
            return "--jdbc-user: PostgreSQL at " + address + " refused user '" + jdbc.user() + "' (" + first
                    + "); check --jdbc-user and the password in PULSE_JDBC_PASSWORD";
        }
        if (state.equals("3D000")) {
            return "--jdbc-url: " + first + " at " + address + "; create the database or name another in --jdbc-url";
        }
        if (state.startsWith("42")) {
            return "--schema: cannot create the tables in schema '" + jdbc.schema() + "' (" + first
                    + "); grant CREATE to '" + jdbc.user() + "' or choose another --schema";
        }
        return "--jdbc-url: PostgreSQL at " + address + " failed: " + first;
    }

    private static String address(String url) {
        try {
            URI uri = URI.create(url.substring("jdbc:".length()));
            return (uri.getHost() == null ? "localhost" : uri.getHost()) + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort());
        } catch (IllegalArgumentException e) {
            return url;
        }
    }
}
