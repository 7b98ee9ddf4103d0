package dev.pulse.sql;

import dev.pulse.sink.JdbcSettings;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.Statement;

/**
 * {@code java -cp pulse.jar:... dev.pulse.sql.SqlTables JDBC_URL USER SCHEMA}: creates the schema when missing and the
 * {@code sql_<table>} tables the SQL client scripts write (sql/flink/postgres/sql_tables.sql, packed into the jar).
 * The password comes from {@code PULSE_JDBC_PASSWORD} only. Exit 2 with one line when the database refuses.
 */
public final class SqlTables {
    private SqlTables() {}

    public static void main(String[] args) throws Exception {
        if (args.length != 3) {
            System.err.println("usage: SqlTables JDBC_URL USER SCHEMA (password from PULSE_JDBC_PASSWORD)");
            System.exit(2);
        }
        String password = System.getenv("PULSE_JDBC_PASSWORD");
        JdbcSettings jdbc = new JdbcSettings(args[0], args[1], password == null || password.isEmpty() ? null : password, args[2]);
        String ddl;
        try (InputStream in = SqlTables.class.getClassLoader().getResourceAsStream("sql/flink/postgres/sql_tables.sql")) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection c = jdbc.connect(); Statement st = c.createStatement()) {
            st.execute("CREATE SCHEMA IF NOT EXISTS \"" + args[2].replace("\"", "\"\"") + "\"");
            st.execute("SET search_path TO \"" + args[2].replace("\"", "\"\"") + "\"");
            st.execute(ddl);
        } catch (java.sql.SQLException e) {
            System.err.println("sql-client: cannot create the sql_* tables in " + jdbc.target() + ": " + e.getMessage());
            System.exit(2);
        }
    }
}
